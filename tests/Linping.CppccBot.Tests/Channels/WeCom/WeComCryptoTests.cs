using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Linping.CppccBot.Channels.WeCom;
using static Linping.CppccBot.Tests.Channels.WeCom.WeComVectors;

namespace Linping.CppccBot.Tests.Channels.WeCom;

public sealed class WeComCryptoTests
{
    private static readonly byte[] FixedPrefix = Encoding.ASCII.GetBytes(VPrefix);

    private static WeComCrypto CryptoA() => new(TokenA, KeyA, CorpIdA);

    private static WeComCrypto FixedPrefixCryptoA() => new(TokenA, KeyA, CorpIdA, () => (byte[])FixedPrefix.Clone());

    // ---- Official vectors -------------------------------------------------------------------------------------

    [Fact]
    public async Task ManyThreadsAtOnce_EachGetTheirOwnTextBack()
    {
        // One WeComCrypto serves every callback of a host at once, with its pooled ciphers and buffers.
        var crypto = new WeComCrypto(TokenB, KeyB, CorpIdB);
        var mismatches = 0;
        await Parallel.ForAsync(0, 4000, (i, _) =>
        {
            var text = $"<xml><Content><![CDATA[第{i}条 {new string('x', i % 300)}]]></Content></xml>";
            var encrypted = crypto.Encrypt(text);
            var signature = WeComCrypto.ComputeSignature(TokenB, "1764216000", $"n{i}", encrypted);
            if (crypto.Decrypt(encrypted) != text || !crypto.VerifySignature(signature, "1764216000", $"n{i}", encrypted))
            {
                Interlocked.Increment(ref mismatches);
            }

            return ValueTask.CompletedTask;
        });

        Assert.Equal(0, mismatches);
    }

    [Fact]
    public void Decrypt_RecoversEchoStr_ForOfficialVectorA1()
    {
        var crypto = CryptoA();

        Assert.True(crypto.VerifySignature(A1Signature, A1Timestamp, A1Nonce, A1EchoStr));
        Assert.Equal(A1Plaintext, crypto.Decrypt(A1EchoStr));
    }

    [Fact]
    public void Decrypt_RecoversEchoStr_ForOfficialVectorA1_AfterUrlDecoding()
    {
        // WeCom percent-encodes + / = in echostr; ordinary query decoding yields the signed value.
        var decoded = Uri.UnescapeDataString(A1EchoStrOnWire);

        Assert.Equal(A1EchoStr, decoded);
        Assert.Equal(A1Plaintext, CryptoA().VerifyAndDecrypt(A1Signature, A1Timestamp, A1Nonce, decoded));
    }

    [Fact]
    public void Decrypt_RecoversMessage_ForOfficialVectorA2()
    {
        var crypto = CryptoA();
        var envelope = WeComXml.ParseEnvelope(A2Body);

        Assert.Equal(A2Encrypt, envelope.Encrypt);
        Assert.True(crypto.VerifySignature(A2Signature, A2Timestamp, A2Nonce, envelope.Encrypt));
        Assert.Equal(A2Plaintext, crypto.Decrypt(envelope.Encrypt));
    }

    [Fact]
    public void Decrypt_StripsPadByte30_ForOfficialVectorA2()
    {
        // A2's pad byte is 30: .NET's PaddingMode.PKCS7 (16-byte blocks) would throw here.
        var frame = RawDecrypt(KeyA, A2Encrypt);

        Assert.Equal(30, frame[^1]);
        Assert.Equal(Encoding.UTF8.GetByteCount(A2Plaintext), BinaryPrimitives.ReadInt32BigEndian(frame.AsSpan(16, 4)));
    }

    [Fact]
    public void ComputeSignature_MatchesDocWorkedExample_ForOfficialVectorA2() =>
        Assert.Equal(A2Signature, WeComCrypto.ComputeSignature(TokenA, A2Timestamp, A2Nonce, A2Encrypt));

    [Fact]
    public void Decrypt_RecoversEchoStr_ForOfficialVectorB1()
    {
        var crypto = new WeComCrypto(TokenB, KeyB, CorpIdB);

        Assert.True(crypto.VerifySignature(B1Signature, B1Timestamp, B1Nonce, B1EchoStr));
        Assert.Equal(B1Plaintext, crypto.Decrypt(B1EchoStr));
    }

    [Fact]
    public void Decrypt_RecoversMessage_ForOfficialVectorB2()
    {
        var crypto = new WeComCrypto(TokenB, KeyB, CorpIdB);
        var envelope = WeComXml.ParseEnvelope(B2Body);

        Assert.Equal(B2Encrypt, envelope.Encrypt);
        Assert.Equal("1000002", envelope.AgentId);
        Assert.Equal(B2Plaintext, crypto.VerifyAndDecrypt(B2Signature, B2Timestamp, B2Nonce, envelope.Encrypt));
    }

    [Fact]
    public void Decrypt_RecoversJsonPayload_ForOfficialVectorC1()
    {
        var crypto = CryptoA();

        Assert.Contains(C1Encrypt, C1Body, StringComparison.Ordinal);
        Assert.True(crypto.VerifySignature(C1Signature, C1Timestamp, C1Nonce, C1Encrypt));
        Assert.Equal(C1Plaintext, crypto.Decrypt(C1Encrypt));
    }

    [Fact]
    public void Decrypt_RecoversEchoStr_ForOfficialVectorD1()
    {
        var crypto = new WeComCrypto(TokenD, KeyD, CorpIdD);
        var echoStr = Uri.UnescapeDataString(D1EchoStrOnWire);

        Assert.True(crypto.VerifySignature(D1Signature, D1Timestamp, D1Nonce, echoStr));
        Assert.Equal(D1Plaintext, crypto.Decrypt(echoStr));
    }

    [Fact]
    public void VerifySignature_Fails_ForOfficialVectorD1_WhenEchoStrIsStillPercentEncoded()
    {
        var crypto = new WeComCrypto(TokenD, KeyD, CorpIdD);

        Assert.False(crypto.VerifySignature(D1Signature, D1Timestamp, D1Nonce, D1EchoStrOnWire));
        var error = Assert.Throws<WeComCryptoException>(() => crypto.VerifyAndDecrypt(D1Signature, D1Timestamp, D1Nonce, D1EchoStrOnWire));
        Assert.Equal(WeComCryptoError.ValidateSignature, error.Error);
    }

    [Theory]
    [InlineData("A1")]
    [InlineData("A2")]
    [InlineData("B1")]
    [InlineData("B2")]
    [InlineData("C1")]
    [InlineData("D1")]
    public void Encrypt_ReproducesOfficialCiphertext_WithTheRecoveredPrefix(string vector)
    {
        var (token, key, corpId, encrypted, plaintext) = vector switch
        {
            "A1" => (TokenA, KeyA, CorpIdA, A1EchoStr, A1Plaintext),
            "A2" => (TokenA, KeyA, CorpIdA, A2Encrypt, A2Plaintext),
            "B1" => (TokenB, KeyB, CorpIdB, B1EchoStr, B1Plaintext),
            "B2" => (TokenB, KeyB, CorpIdB, B2Encrypt, B2Plaintext),
            "C1" => (TokenA, KeyA, CorpIdA, C1Encrypt, C1Plaintext),
            _ => (TokenD, KeyD, CorpIdD, Uri.UnescapeDataString(D1EchoStrOnWire), D1Plaintext),
        };
        var prefix = RawDecrypt(key, encrypted)[..16];

        Assert.Equal(encrypted, new WeComCrypto(token, key, corpId).Encrypt(plaintext, prefix));
    }

    // ---- Self-generated vectors V1–V6 (fixed prefix) -----------------------------------------------------------

    [Theory]
    [InlineData(V1Plaintext, V1Encrypt, V1Signature, V1Timestamp, V1Nonce)]
    [InlineData(V2Plaintext, V2Encrypt, V2Signature, V2Timestamp, V2Nonce)]
    [InlineData(V3Plaintext, V3Encrypt, V3Signature, V3Timestamp, V3Nonce)]
    [InlineData(V4Plaintext, V4Encrypt, V4Signature, V4Timestamp, V4Nonce)]
    [InlineData(V5Plaintext, V5Encrypt, V5Signature, V5Timestamp, V5Nonce)]
    [InlineData(V6Plaintext, V6Encrypt, V6Signature, V6Timestamp, V6Nonce)]
    public void Encrypt_MatchesTencentCiphertext_ForVectorsV1ToV6(string plaintext, string encrypted, string signature, string timestamp, string nonce)
    {
        var crypto = CryptoA();

        Assert.Equal(encrypted, crypto.Encrypt(plaintext, FixedPrefix));
        Assert.Equal(encrypted, FixedPrefixCryptoA().Encrypt(plaintext));
        Assert.Equal(signature, WeComCrypto.ComputeSignature(TokenA, timestamp, nonce, encrypted));
        Assert.True(crypto.VerifySignature(signature, timestamp, nonce, encrypted));
        Assert.Equal(plaintext, crypto.Decrypt(encrypted));
    }

    [Theory]
    [InlineData(V1Body, V1Encrypt)]
    [InlineData(V2Body, V2Encrypt)]
    [InlineData(V3Body, V3Encrypt)]
    [InlineData(V4Body, V4Encrypt)]
    public void ParseEnvelope_ReadsEncrypt_ForVectorRequestBodies(string body, string encrypted)
    {
        var envelope = WeComXml.ParseEnvelope(body);

        Assert.Equal(encrypted, envelope.Encrypt);
        Assert.Equal(CorpIdA, envelope.ToUserName);
        Assert.Equal("1000002", envelope.AgentId);
    }

    [Fact]
    public void Decrypt_CountsUtf8Bytes_ForChineseVectorV1()
    {
        var frame = RawDecrypt(KeyA, V1Encrypt);

        Assert.Equal(298, BinaryPrimitives.ReadInt32BigEndian(frame.AsSpan(16, 4)));
        Assert.NotEqual(298, V1Plaintext.Length);
    }

    [Fact]
    public void Encrypt_AppendsAFullBlockOf32_ForPadEdgeCaseV5()
    {
        var frame = RawDecrypt(KeyA, CryptoA().Encrypt(V5Plaintext, FixedPrefix));

        Assert.Equal(96, frame.Length);
        Assert.All(frame[^32..], b => Assert.Equal(32, b));
        Assert.Equal(V5Plaintext, CryptoA().Decrypt(V5Encrypt));
    }

    [Fact]
    public void BuildEncryptedReply_EqualsSpecEnvelope_ForVectorV6()
    {
        var reply = WeComXml.BuildTextReply("zhangsan", CorpIdA, 1700000005, "已收到：报名 请你来协商");
        Assert.Equal(V6Plaintext, reply);

        var envelope = FixedPrefixCryptoA().BuildEncryptedReply(reply, V6Timestamp, V6Nonce);

        Assert.Equal(V6ReplyEnvelope, envelope);
    }

    [Fact]
    public void BuildEncryptedReply_CanBeVerifiedAndDecrypted_WithRandomPrefix()
    {
        var crypto = CryptoA();
        var envelope = WeComXml.ParseEnvelope(crypto.BuildEncryptedReply(V6Plaintext, "1700000100", "nonce]]>x"));

        Assert.Equal("1700000100", envelope.TimeStamp);
        Assert.Equal("nonce]]>x", envelope.Nonce);
        Assert.Equal(V6Plaintext, crypto.VerifyAndDecrypt(envelope.MsgSignature, envelope.TimeStamp, envelope.Nonce, envelope.Encrypt));
    }

    [Fact]
    public void BuildEncryptedReply_RejectsNonNumericTimestamp() =>
        Assert.Throws<ArgumentException>(() => CryptoA().BuildEncryptedReply(V6Plaintext, "17<x/>", "1"));

    // ---- Signature --------------------------------------------------------------------------------------------

    [Fact]
    public void ComputeSignature_SortsOrdinally_NotByCulture()
    {
        // Culture order would be 1700000000, abc, Bxyz; ordinal (what WeCom uses) is 1700000000, Bxyz, abc.
        // sha1("1700000000Bxyzabcnonce"), computed with sha1sum.
        const string Expected = "17cd0623a6e73e6df084787879c6dc66c911136a";

        Assert.Equal(Expected, WeComCrypto.ComputeSignature("abc", "1700000000", "nonce", "Bxyz"));
    }

    [Theory]
    [InlineData("477715d11cdb4164915debcba66cb864d751f3e7")]
    [InlineData("477715D11CDB4164915DEBCBA66CB864D751F3E6")]
    [InlineData("477715d11cdb4164915debcba66cb864d751f3e")]
    [InlineData("477715d11cdb4164915debcba66cb864d751f3e66")]
    [InlineData("")]
    [InlineData("477715d11cdb4164915debcba66cb864d751f3ĥ")]
    public void VerifySignature_RejectsForgedOrMalformedSignature(string signature) =>
        Assert.False(CryptoA().VerifySignature(signature, A2Timestamp, A2Nonce, A2Encrypt));

    [Fact]
    public void VerifySignature_ReturnsFalse_ForNullInputs()
    {
        var crypto = CryptoA();

        Assert.False(crypto.VerifySignature(null, A2Timestamp, A2Nonce, A2Encrypt));
        Assert.False(crypto.VerifySignature(A2Signature, null, A2Nonce, A2Encrypt));
        Assert.False(crypto.VerifySignature(A2Signature, A2Timestamp, null, A2Encrypt));
        Assert.False(crypto.VerifySignature(A2Signature, A2Timestamp, A2Nonce, null));
    }

    [Fact]
    public void VerifySignature_Fails_WithAnotherToken() =>
        Assert.False(new WeComCrypto("OtherToken", KeyA, CorpIdA).VerifySignature(A2Signature, A2Timestamp, A2Nonce, A2Encrypt));

    // ---- Decrypt failures -------------------------------------------------------------------------------------

    [Fact]
    public void Decrypt_FailsWithReceiveIdError_WhenCorpIdDiffers()
    {
        var error = Assert.Throws<WeComCryptoException>(() => new WeComCrypto(TokenA, KeyA, "ww0000000000000000").Decrypt(A2Encrypt));

        Assert.Equal(WeComCryptoError.ValidateCorpId, error.Error);
        Assert.Equal(-40005, error.Code);
    }

    [Fact]
    public void Decrypt_FailsWithReceiveIdError_WhenReceiveIdIsEmptyButCorpIdSent() =>
        AssertFails(WeComCryptoError.ValidateCorpId, () => new WeComCrypto(TokenA, KeyA, string.Empty).Decrypt(A2Encrypt));

    [Theory]
    [InlineData(0)]
    [InlineData(17)]
    [InlineData(200)]
    [InlineData(-1)]
    [InlineData(-17)]
    public void Decrypt_FailsOnlyWithWeComCryptoException_WhenACiphertextByteIsFlipped(int index)
    {
        var cipher = Convert.FromBase64String(A2Encrypt);
        cipher[index < 0 ? cipher.Length + index : index] ^= 0x5A;

        var error = Record.Exception(() => CryptoA().Decrypt(Convert.ToBase64String(cipher)));

        // Depending on where the flip lands: bad padding, bad layout, bad receiveid or invalid UTF-8; never success.
        Assert.IsType<WeComCryptoException>(error);
    }

    [Fact]
    public void Decrypt_FailsWithDecryptError_WhenPaddingIsInvalid()
    {
        // A frame whose last byte is 33 (beyond the 32-byte block) and one whose pad bytes are not all equal.
        AssertFails(WeComCryptoError.DecryptAes, () => CryptoA().Decrypt(EncryptRawFrame(KeyA, FrameWithTail(33, 33))));
        AssertFails(WeComCryptoError.DecryptAes, () => CryptoA().Decrypt(EncryptRawFrame(KeyA, FrameWithTail(3, 4, 3, 3))));
        AssertFails(WeComCryptoError.DecryptAes, () => CryptoA().Decrypt(EncryptRawFrame(KeyA, FrameWithTail(0))));
    }

    [Fact]
    public void Decrypt_FailsWithIllegalBuffer_WhenMsgLenExceedsTheBuffer()
    {
        var frame = new byte[64];
        FixedPrefix.CopyTo(frame, 0);
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(16, 4), 1000);
        frame.AsSpan(48).Fill(16);

        AssertFails(WeComCryptoError.IllegalBuffer, () => CryptoA().Decrypt(EncryptRawFrame(KeyA, frame)));
    }

    [Fact]
    public void Decrypt_FailsWithIllegalBuffer_WhenMsgLenIsHuge()
    {
        var frame = new byte[64];
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(16, 4), uint.MaxValue);
        frame.AsSpan(48).Fill(16);

        AssertFails(WeComCryptoError.IllegalBuffer, () => CryptoA().Decrypt(EncryptRawFrame(KeyA, frame)));
    }

    [Fact]
    public void Decrypt_FailsWithIllegalBuffer_WhenFrameIsShorterThanPrefixAndLength()
    {
        var frame = new byte[32];
        frame.AsSpan(16).Fill(16);

        AssertFails(WeComCryptoError.IllegalBuffer, () => CryptoA().Decrypt(EncryptRawFrame(KeyA, frame)));
    }

    [Fact]
    public void Decrypt_FailsWithBase64Error_WhenTruncated() =>
        AssertFails(WeComCryptoError.DecodeBase64, () => CryptoA().Decrypt(A2Encrypt[..^3]));

    [Theory]
    [InlineData("not base64 at all!")]
    [InlineData("RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo*rtK1I9qca6a")]
    [InlineData("====")]
    public void Decrypt_FailsWithBase64Error_WhenNotBase64(string value) =>
        AssertFails(WeComCryptoError.DecodeBase64, () => CryptoA().Decrypt(value));

    [Fact]
    public void Decrypt_FailsWithBase64Error_WhenEmpty() =>
        AssertFails(WeComCryptoError.DecodeBase64, () => CryptoA().Decrypt(string.Empty));

    [Fact]
    public void Decrypt_FailsWithDecryptError_WhenLengthIsNotAMultipleOf16()
    {
        var cipher = Convert.FromBase64String(A2Encrypt)[..^5];

        AssertFails(WeComCryptoError.DecryptAes, () => CryptoA().Decrypt(Convert.ToBase64String(cipher)));
    }

    [Fact]
    public void Decrypt_FailsWithDecryptError_WithAnotherKey()
    {
        var otherKey = new WeComCrypto(TokenA, KeyB, CorpIdA);

        Assert.IsType<WeComCryptoException>(Record.Exception(() => otherKey.Decrypt(A2Encrypt)));
    }

    [Fact]
    public void VerifyAndDecrypt_FailsWithSignatureError_BeforeDecrypting() =>
        AssertFails(WeComCryptoError.ValidateSignature, () => CryptoA().VerifyAndDecrypt(A1Signature, A2Timestamp, A2Nonce, "garbage"));

    [Fact]
    public void Exceptions_DoNotCarryPlaintextOrKeys()
    {
        var error = Assert.Throws<WeComCryptoException>(() => new WeComCrypto(TokenA, KeyA, "other").Decrypt(A2Encrypt));

        Assert.DoesNotContain("hello", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(CorpIdA, error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(KeyA, error.ToString(), StringComparison.Ordinal);
    }

    // ---- Constructor ------------------------------------------------------------------------------------------

    [Theory]
    [InlineData("")]
    [InlineData("jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2")]
    [InlineData("jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2CC")]
    [InlineData("jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2=")]
    [InlineData("jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2 ")]
    [InlineData("jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2/")]
    public void Constructor_RejectsIllegalAesKey(string key)
    {
        var error = Assert.Throws<WeComCryptoException>(() => new WeComCrypto(TokenA, key, CorpIdA));

        Assert.Equal(WeComCryptoError.IllegalAesKey, error.Error);
        Assert.Equal(-40004, error.Code);
    }

    [Fact]
    public void Constructor_RejectsNullAesKey() =>
        AssertFails(WeComCryptoError.IllegalAesKey, () => _ = new WeComCrypto(TokenA, null!, CorpIdA));

    [Fact]
    public void Encrypt_RejectsPrefixOfWrongLength() =>
        Assert.Throws<ArgumentException>(() => CryptoA().Encrypt("x", new byte[15]));

    // ---- Round trip -------------------------------------------------------------------------------------------

    [Fact]
    public void EncryptThenDecrypt_RoundTrips_ForLengths0To100()
    {
        var crypto = CryptoA();
        for (var length = 0; length <= 100; length++)
        {
            var text = new string('x', length);
            var encrypted = crypto.Encrypt(text);

            Assert.Equal(0, Convert.FromBase64String(encrypted).Length % 32);
            Assert.Equal(text, crypto.Decrypt(encrypted));
        }
    }

    [Fact]
    public void EncryptThenDecrypt_RoundTrips_ForChineseTextOfManyLengths()
    {
        const string Source = "政协委员请你来协商，报名参加第四十二期议事会🙂。";
        var crypto = CryptoA();
        for (var length = 0; length <= Source.Length; length++)
        {
            // Do not cut a surrogate pair in half: that is not text.
            if (length > 0 && char.IsHighSurrogate(Source[length - 1]))
            {
                continue;
            }

            var text = Source[..length];
            Assert.Equal(text, crypto.Decrypt(crypto.Encrypt(text)));
        }
    }

    [Fact]
    public void Encrypt_UsesAFreshRandomPrefix_EachTime()
    {
        var crypto = CryptoA();

        Assert.NotEqual(crypto.Encrypt("同一句话"), crypto.Encrypt("同一句话"));
    }

    [Fact]
    public void EncryptThenDecrypt_RoundTrips_WithEmptyReceiveId()
    {
        // Intelligent robots use receiveid "".
        var crypto = new WeComCrypto(TokenA, KeyA, string.Empty);

        Assert.Equal("{\"msgtype\":\"text\"}", crypto.Decrypt(crypto.Encrypt("{\"msgtype\":\"text\"}")));
    }

    // ---- Helpers ----------------------------------------------------------------------------------------------

    private static void AssertFails(WeComCryptoError expected, Action action)
    {
        var error = Assert.Throws<WeComCryptoException>(action);
        Assert.Equal(expected, error.Error);
    }

    private static byte[] AesKey(string encodingAesKey) => Convert.FromBase64String(encodingAesKey + "=");

    // Decrypts without any unpadding or checks, to look at the frame itself.
    private static byte[] RawDecrypt(string encodingAesKey, string encrypted)
    {
        using var aes = Aes.Create();
        var key = AesKey(encodingAesKey);
        aes.Key = key;
        return aes.DecryptCbc(Convert.FromBase64String(encrypted), key[..16], PaddingMode.None);
    }

    private static string EncryptRawFrame(string encodingAesKey, byte[] frame)
    {
        using var aes = Aes.Create();
        var key = AesKey(encodingAesKey);
        aes.Key = key;
        return Convert.ToBase64String(aes.EncryptCbc(frame, key[..16], PaddingMode.None));
    }

    // A 64-byte frame with a valid-looking body and the given bytes at the end.
    private static byte[] FrameWithTail(params byte[] tail)
    {
        var frame = new byte[64];
        FixedPrefix.CopyTo(frame, 0);
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(16, 4), 2);
        frame[20] = (byte)'o';
        frame[21] = (byte)'k';
        Encoding.ASCII.GetBytes(CorpIdA).CopyTo(frame, 22);
        tail.CopyTo(frame, 64 - tail.Length);
        return frame;
    }
}
