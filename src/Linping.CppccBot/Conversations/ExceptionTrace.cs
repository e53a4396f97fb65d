using System.Text;

namespace Linping.CppccBot.Conversations;

/// <summary>
/// An exception as a log line may show it where its message could quote what a member typed (a parse error, a value
/// the database refused): the type and stack trace of it and of each inner exception, without their messages.
/// </summary>
public static class ExceptionTrace
{
    public static string WithoutMessages(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var text = new StringBuilder();
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            if (text.Length > 0)
            {
                text.Append("\n ---> ");
            }

            text.Append(current.GetType().FullName);
            if (current.StackTrace is { } stackTrace)
            {
                text.Append('\n').Append(stackTrace);
            }
        }

        return text.ToString();
    }
}
