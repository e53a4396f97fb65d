namespace Linping.CppccBot.Features.Proposals;

/// <summary>
/// Loads the segmenter's dictionary in the background when the host starts, so that the first member who searches
/// still gets the passive reply within WeCom's budget instead of waiting seconds for the dictionary.
/// </summary>
public sealed partial class TitleSegmenterWarmUp(TitleSegmenter segmenter, ILogger<TitleSegmenterWarmUp> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.Run(
        () =>
        {
            try
            {
                segmenter.Words("临平区政协提案");
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or TypeInitializationException)
            {
                // Not fatal at start: searches will fail with the same cause and the turn's error boundary answers them.
                LogWarmUpFailed(logger, exception);
            }
        },
        stoppingToken);

    [LoggerMessage(EventId = 4310, Level = LogLevel.Error, Message = "The word segmenter's dictionary could not be loaded; proposal search by title will not work")]
    private static partial void LogWarmUpFailed(ILogger logger, Exception exception);
}
