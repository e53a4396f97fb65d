namespace Linping.CppccBot.Tests.Infrastructure;

/// <summary>What a test needs from the machine (a server, a browser): missing, it skips locally and fails in CI.</summary>
public static class Prerequisite
{
    /// <summary>Does nothing when <paramref name="unavailableReason"/> is null; else skips, or fails when <c>CI=true</c>.</summary>
    public static void Require(string? unavailableReason)
    {
        if (unavailableReason is null)
        {
            return;
        }

        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail(unavailableReason);
        }

        Assert.Skip(unavailableReason);
    }
}
