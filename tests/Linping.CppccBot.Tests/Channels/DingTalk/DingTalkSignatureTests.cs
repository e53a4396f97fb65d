using Linping.CppccBot.Channels.DingTalk;

namespace Linping.CppccBot.Tests.Channels.DingTalk;

/// <summary>The signature vectors of the reference (dingtalk.md §6), and the one-hour window.</summary>
public sealed class DingTalkSignatureTests
{
    [Theory]
    [InlineData("testSecret123", "1700000000000", "Hk3B1Ip8mZ4qofTCx5xbuOBH6+1wwuA8dA20UVxAPFQ=")]
    [InlineData("SECtest0123456789abcdef", "1700000000000", "/lfnxUUu80FwVTsIlv2F1cMGBb+PxEKAwYh/bsRxXcc=")]
    [InlineData("this is secret", "1577262236757", "hmPWwU+7lVdm3ZZz0r9tSfx0L4Q26jWOZr9+Gs6EZQM=")]
    [InlineData("this is a secret", "1577262236757", "DJrE6qdyVGCQz9z5r2MDuNcNAhwYnuAkyj13cx169CA=")]
    public void Compute_MatchesTheReferenceVectors(string secret, string timestamp, string expected) =>
        Assert.Equal(expected, DingTalkSignature.Compute(timestamp, secret));

    [Fact]
    public void Verify_AcceptsVectorA_WithinTheHour()
    {
        var signedAt = DateTimeOffset.FromUnixTimeMilliseconds(1700000000000);
        Assert.True(DingTalkSignature.Verify("1700000000000", "Hk3B1Ip8mZ4qofTCx5xbuOBH6+1wwuA8dA20UVxAPFQ=", "testSecret123", signedAt));
        Assert.True(DingTalkSignature.Verify("1700000000000", "Hk3B1Ip8mZ4qofTCx5xbuOBH6+1wwuA8dA20UVxAPFQ=", "testSecret123", signedAt.AddMinutes(59)));
        Assert.True(DingTalkSignature.Verify("1700000000000", "Hk3B1Ip8mZ4qofTCx5xbuOBH6+1wwuA8dA20UVxAPFQ=", "testSecret123", signedAt.AddMinutes(-59)));
    }

    [Theory]
    [InlineData("1700000000000", "Hk3B1Ip8mZ4qofTCx5xbuOBH6+1wwuA8dA20UVxAPFQ=", 61)] // stale
    [InlineData("1700000000000", "Hk3B1Ip8mZ4qofTCx5xbuOBH6+1wwuA8dA20UVxAPFQ=", -61)] // from the future
    [InlineData("1700000000000", "Hk3B1Ip8mZ4qofTCx5xbuOBH6%2B1wwuA8dA20UVxAPFQ%3D", 0)] // URL-encoded: the header is raw Base64
    [InlineData("1700000000001", "Hk3B1Ip8mZ4qofTCx5xbuOBH6+1wwuA8dA20UVxAPFQ=", 0)] // another timestamp
    [InlineData("1700000000000", "", 0)]
    [InlineData("", "Hk3B1Ip8mZ4qofTCx5xbuOBH6+1wwuA8dA20UVxAPFQ=", 0)]
    [InlineData("17e11", "Hk3B1Ip8mZ4qofTCx5xbuOBH6+1wwuA8dA20UVxAPFQ=", 0)]
    [InlineData("99999999999999999999", "Hk3B1Ip8mZ4qofTCx5xbuOBH6+1wwuA8dA20UVxAPFQ=", 0)]
    public void Verify_Refuses(string timestamp, string sign, int minutesLater)
    {
        var now = DateTimeOffset.FromUnixTimeMilliseconds(1700000000000).AddMinutes(minutesLater);
        Assert.False(DingTalkSignature.Verify(timestamp, sign, "testSecret123", now));
    }

    [Fact]
    public void Verify_Refuses_AnotherSecret() =>
        Assert.False(DingTalkSignature.Verify("1700000000000", "Hk3B1Ip8mZ4qofTCx5xbuOBH6+1wwuA8dA20UVxAPFQ=", "testSecret124", DateTimeOffset.FromUnixTimeMilliseconds(1700000000000)));
}
