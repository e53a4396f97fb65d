using System.Security.Cryptography;
using System.Text;

namespace Linping.CppccBot.Conversations;

/// <summary>
/// The short names users have in logs: a keyed hash (HMAC-SHA256) of channel and user id. The key is derived from the
/// deployment's secrets, which every host of it has, so a member has the same pseudonym on every host and after a
/// restart, while someone who reads the logs but not the settings cannot hash a roster to tell who is who. A new
/// secret gives everyone new pseudonyms.
/// </summary>
public sealed class LogPseudonyms
{
    private readonly byte[] _key;

    public LogPseudonyms(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var material = string.Join(
            '\n',
            "linping-cppccbot/log-pseudonym",
            configuration["WeCom:EncodingAESKey"],
            configuration["WeCom:Secret"],
            configuration["WeCom:Token"],
            configuration["DingTalk:ClientSecret"],
            configuration["Admin:ApiKey"]);
        _key = SHA256.HashData(Encoding.UTF8.GetBytes(material));
    }

    /// <summary>Twelve hex digits that stand for <paramref name="userId"/> on <paramref name="channel"/>.</summary>
    public string Of(string channel, string userId) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes($"{channel}:{userId}")).AsSpan(0, 6));
}
