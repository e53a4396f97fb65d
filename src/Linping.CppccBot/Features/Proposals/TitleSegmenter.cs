using JiebaNet.Segmenter;

namespace Linping.CppccBot.Features.Proposals;

/// <summary>
/// Splits Chinese text into words with jieba.NET (Chinese has no spaces: "数智城那个提案" → 数智城 / 那个 / 提案).
/// The dictionary takes a few seconds and ~60 MB to load, so it is loaded once per process, on first use.
/// </summary>
public sealed class TitleSegmenter
{
    private static readonly Lazy<JiebaSegmenter> Segmenter = new(Create, LazyThreadSafetyMode.ExecutionAndPublication);

    // jieba.NET's segmenter keeps per-call state in instance fields; one call at a time keeps it correct.
    private static readonly Lock CutLock = new();

    /// <summary>Search-mode words: long words and the shorter words inside them (自行车 → 自行 / 行车 / 自行车).</summary>
    public IReadOnlyList<string> Words(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        lock (CutLock)
        {
            return [.. Segmenter.Value.CutForSearch(text)];
        }
    }

    private static JiebaSegmenter Create()
    {
        // The dictionaries are copied to Resources/ beside the binaries (see the project file); do not rely on the
        // working folder, which differs between the host, the tests and a service manager.
        ConfigManager.ConfigFileBaseDir = Path.Combine(AppContext.BaseDirectory, "Resources");
        return new JiebaSegmenter();
    }
}
