using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Linping.CppccBot.Channels.WeCom;

/// <summary>
/// The WeCom callback crypto (加解密方案, doc 91144): SHA1 signature over the ordinally sorted
/// (token, timestamp, nonce, encrypt), and AES-256-CBC over random(16) + msg_len(4, big-endian) + msg + receiveid
/// with PKCS#7 padding to 32 bytes. Thread-safe: every call creates its own <see cref="Aes"/>.
/// </summary>
public sealed class WeComCrypto
{
    /// <summary>Length of the random prefix in front of msg_len.</summary>
    public const int RandomPrefixLength = 16;

    private const int EncodingAesKeyLength = 43;
    private const int AesKeyLength = 32;
    private const int MsgLenLength = 4;

    // WeCom pads to 32 bytes, not to the 16-byte AES block, so PaddingMode.PKCS7 cannot be used: it rejects
    // pad bytes above 16, which real callbacks have (vector A2 has 30).
    private const int PadBlockSize = 32;
    private const int AesBlockSize = 16;
    private const int SignatureHexLength = 40;

    // Strict: invalid UTF-8 in a decrypted message means a broken frame, not text to repair.
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly string _token;
    private readonly byte[] _key;
    private readonly byte[] _iv;
    private readonly byte[] _receiveId;
    private readonly Func<byte[]> _randomPrefix;

    // Aes objects with the key set, reused: creating one and setting its key for each callback was a visible share of
    // the callback's processor time. An Aes is used by one caller at a time.
    private readonly ConcurrentQueue<Aes> _ciphers = new();

    /// <summary>Creates the crypto for one app.</summary>
    /// <param name="token">The callback token.</param>
    /// <param name="encodingAesKey">The 43-character EncodingAESKey from the WeCom console.</param>
    /// <param name="receiveId">The corp id for self-built app callbacks (empty for intelligent robots).</param>
    /// <exception cref="WeComCryptoException">The key is not 43 characters decoding to 32 bytes (IllegalAesKey).</exception>
    public WeComCrypto(string token, string encodingAesKey, string receiveId)
        : this(token, encodingAesKey, receiveId, randomPrefix: null)
    {
    }

    /// <summary>Creates the crypto with a custom source of the 16-byte random prefix, so tests can be deterministic.</summary>
    /// <param name="token">The callback token.</param>
    /// <param name="encodingAesKey">The 43-character EncodingAESKey from the WeCom console.</param>
    /// <param name="receiveId">The corp id for self-built app callbacks (empty for intelligent robots).</param>
    /// <param name="randomPrefix">Returns 16 bytes per call; null uses <see cref="RandomNumberGenerator"/>.</param>
    public WeComCrypto(string token, string encodingAesKey, string receiveId, Func<byte[]>? randomPrefix)
    {
        ArgumentException.ThrowIfNullOrEmpty(token);
        ArgumentNullException.ThrowIfNull(receiveId);

        _token = token;
        _key = DecodeKey(encodingAesKey);
        _iv = _key[..AesBlockSize];
        _receiveId = Encoding.UTF8.GetBytes(receiveId);
        _randomPrefix = randomPrefix ?? (() => RandomNumberGenerator.GetBytes(RandomPrefixLength));
    }

    /// <summary>
    /// The WeCom signature: SHA1 of the four values sorted ordinally and concatenated, as lower-case hex.
    /// </summary>
    [SuppressMessage("Security", "CA5350:Do Not Use Weak Cryptographic Algorithms", Justification = "WeCom's callback protocol fixes SHA1; it is not our choice.")]
    public static string ComputeSignature(string token, string timestamp, string nonce, string encrypted)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(timestamp);
        ArgumentNullException.ThrowIfNull(nonce);
        ArgumentNullException.ThrowIfNull(encrypted);

        // Ordinal, never culture-sensitive: the default string sort puts "abc" before "Bxyz" and breaks signatures.
        string[] parts = [token, timestamp, nonce, encrypted];
        Array.Sort(parts, StringComparer.Ordinal);
        var length = 0;
        foreach (var part in parts)
        {
            length += Encoding.UTF8.GetByteCount(part);
        }

        var buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var written = 0;
            foreach (var part in parts)
            {
                written += Encoding.UTF8.GetBytes(part, buffer.AsSpan(written));
            }

            Span<byte> hash = stackalloc byte[SHA1.HashSizeInBytes];
            SHA1.HashData(buffer.AsSpan(0, written), hash);
            return Convert.ToHexStringLower(hash);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The current Unix time as the decimal string WeCom uses for <c>timestamp</c>.</summary>
    public static string UnixTimestamp(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        return time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Checks a callback's msg_signature in constant time. Returns false for any null or malformed input, never throws.
    /// </summary>
    public bool VerifySignature(string? signature, string? timestamp, string? nonce, string? encrypted)
    {
        if (signature is null || timestamp is null || nonce is null || encrypted is null || signature.Length != SignatureHexLength)
        {
            return false;
        }

        var expected = ComputeSignature(_token, timestamp, nonce, encrypted);
        Span<byte> given = stackalloc byte[SignatureHexLength];
        Span<byte> wanted = stackalloc byte[SignatureHexLength];
        for (var i = 0; i < SignatureHexLength; i++)
        {
            // Any non-ASCII character cannot match a hex digit; folding it to a byte keeps the loop branch-free.
            given[i] = (byte)signature[i];
            wanted[i] = (byte)expected[i];
        }

        return signature.All(char.IsAscii) && CryptographicOperations.FixedTimeEquals(given, wanted);
    }

    /// <summary>
    /// Verifies the signature and then decrypts: the order the protocol requires (decrypting unauthenticated
    /// ciphertext first would expose padding errors to anyone).
    /// </summary>
    /// <exception cref="WeComCryptoException">Signature mismatch (ValidateSignature) or any decrypt error.</exception>
    public string VerifyAndDecrypt(string? signature, string? timestamp, string? nonce, string? encrypted)
    {
        if (!VerifySignature(signature, timestamp, nonce, encrypted))
        {
            throw new WeComCryptoException(WeComCryptoError.ValidateSignature, "WeCom signature does not match.");
        }

        return Decrypt(encrypted!);
    }

    private static readonly System.Buffers.SearchValues<char> Base64Alphabet =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=");

    /// <summary>Decrypts an <c>Encrypt</c> value (or a URL-verification <c>echostr</c>) and returns the msg.</summary>
    /// <exception cref="WeComCryptoException">The value is not valid ciphertext for this app; see <see cref="WeComCryptoException.Error"/>.</exception>
    public string Decrypt(string encryptedBase64)
    {
        if (string.IsNullOrEmpty(encryptedBase64))
        {
            throw new WeComCryptoException(WeComCryptoError.DecodeBase64, "WeCom ciphertext is empty.");
        }

        // Convert skips whitespace inside base64; WeCom never sends any, so a ciphertext carrying some is not WeCom's.
        if (encryptedBase64.AsSpan().IndexOfAnyExcept(Base64Alphabet) >= 0)
        {
            throw new WeComCryptoException(WeComCryptoError.DecodeBase64, "WeCom ciphertext has characters outside base64.");
        }

        var cipher = ArrayPool<byte>.Shared.Rent(encryptedBase64.Length / 4 * 3 + 3);
        try
        {
            if (!Convert.TryFromBase64String(encryptedBase64, cipher, out var cipherLength) || cipherLength == 0)
            {
                throw new WeComCryptoException(WeComCryptoError.DecodeBase64, "WeCom ciphertext is not valid base64.");
            }

            if (cipherLength % AesBlockSize != 0)
            {
                throw new WeComCryptoException(WeComCryptoError.DecryptAes, "WeCom ciphertext is not a whole number of AES blocks.");
            }

            // Decrypted in place: the plaintext overwrites the ciphertext and is wiped before the buffer goes back.
            var aes = RentCipher();
            try
            {
                aes.DecryptCbc(cipher.AsSpan(0, cipherLength), _iv, cipher.AsSpan(0, cipherLength), PaddingMode.None);
            }
            catch (CryptographicException)
            {
                throw new WeComCryptoException(WeComCryptoError.DecryptAes, "WeCom ciphertext could not be decrypted.");
            }
            finally
            {
                ReturnCipher(aes);
            }

            return ReadFrame(cipher.AsSpan(0, cipherLength));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(cipher);
            ArrayPool<byte>.Shared.Return(cipher);
        }
    }

    /// <summary>Encrypts a msg with a fresh random prefix; the result is an <c>Encrypt</c> value.</summary>
    public string Encrypt(string plaintext) => Encrypt(plaintext, NextRandomPrefix());

    /// <summary>Encrypts with a given 16-byte prefix; deterministic, for tests and vectors.</summary>
    /// <exception cref="ArgumentException">The prefix is not 16 bytes.</exception>
    public string Encrypt(string plaintext, ReadOnlySpan<byte> randomPrefix)
    {
        ArgumentNullException.ThrowIfNull(plaintext);
        if (randomPrefix.Length != RandomPrefixLength)
        {
            throw new ArgumentException($"The random prefix must be {RandomPrefixLength} bytes.", nameof(randomPrefix));
        }

        var msgLength = Encoding.UTF8.GetByteCount(plaintext);
        var frameLength = RandomPrefixLength + MsgLenLength + msgLength + _receiveId.Length;

        // PKCS#7 to 32: always 1..32 bytes, a whole block of 32 when the frame is already aligned.
        var pad = PadBlockSize - frameLength % PadBlockSize;
        var total = frameLength + pad;
        var buffer = ArrayPool<byte>.Shared.Rent(total);
        var frame = buffer.AsSpan(0, total);
        try
        {
            randomPrefix.CopyTo(frame);
            BinaryPrimitives.WriteUInt32BigEndian(frame.Slice(RandomPrefixLength, MsgLenLength), (uint)msgLength);
            Encoding.UTF8.GetBytes(plaintext, frame.Slice(RandomPrefixLength + MsgLenLength, msgLength));
            _receiveId.CopyTo(frame[(frameLength - _receiveId.Length)..]);
            frame[frameLength..].Fill((byte)pad);

            var aes = RentCipher();
            try
            {
                aes.EncryptCbc(frame, _iv, frame, PaddingMode.None);
            }
            finally
            {
                ReturnCipher(aes);
            }

            return Convert.ToBase64String(frame);
        }
        catch (CryptographicException)
        {
            throw new WeComCryptoException(WeComCryptoError.EncryptAes, "WeCom reply could not be encrypted.");
        }
        finally
        {
            CryptographicOperations.ZeroMemory(frame);
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Encrypts a passive-reply plaintext and wraps it in the reply envelope (doc 90238):
    /// <c>&lt;xml&gt;&lt;Encrypt/&gt;&lt;MsgSignature/&gt;&lt;TimeStamp/&gt;&lt;Nonce/&gt;&lt;/xml&gt;</c>.
    /// </summary>
    /// <param name="replyPlaintextXml">The reply message, e.g. from <see cref="WeComXml.BuildTextReply"/>.</param>
    /// <param name="timestamp">Unix seconds as decimal digits (the request's value may be reused).</param>
    /// <param name="nonce">A nonce (the request's value may be reused).</param>
    public string BuildEncryptedReply(string replyPlaintextXml, string timestamp, string nonce)
    {
        ArgumentNullException.ThrowIfNull(replyPlaintextXml);
        ArgumentException.ThrowIfNullOrEmpty(timestamp);
        ArgumentException.ThrowIfNullOrEmpty(nonce);

        // TimeStamp is written without CDATA (as the doc and the Python/Go samples do), so it must be plain digits.
        if (!timestamp.All(char.IsAsciiDigit))
        {
            throw new ArgumentException("The timestamp must be decimal digits.", nameof(timestamp));
        }

        var encrypted = Encrypt(replyPlaintextXml);
        var signature = ComputeSignature(_token, timestamp, nonce, encrypted);
        // Base64 and hex need no CDATA escaping; the nonce may be anyone's text and goes through Cdata.
        return string.Concat(
        [
            "<xml><Encrypt><![CDATA[", encrypted, "]]></Encrypt><MsgSignature><![CDATA[", signature,
            "]]></MsgSignature><TimeStamp>", timestamp, "</TimeStamp><Nonce>", WeComXml.Cdata(nonce), "</Nonce></xml>",
        ]);
    }

    private static byte[] DecodeKey(string? encodingAesKey)
    {
        // Official libraries check both: 43 characters, and 32 bytes after appending the missing "=".
        if (encodingAesKey is null || encodingAesKey.Length != EncodingAesKeyLength || !encodingAesKey.All(char.IsAsciiLetterOrDigit))
        {
            throw new WeComCryptoException(WeComCryptoError.IllegalAesKey, "WeCom EncodingAESKey must be 43 letters and digits.");
        }

        var key = new byte[AesKeyLength + 2];
        if (!Convert.TryFromBase64String(encodingAesKey + "=", key, out var written) || written != AesKeyLength)
        {
            throw new WeComCryptoException(WeComCryptoError.IllegalAesKey, "WeCom EncodingAESKey does not decode to 32 bytes.");
        }

        return key[..AesKeyLength];
    }

    private byte[] NextRandomPrefix()
    {
        var prefix = _randomPrefix();
        if (prefix is null || prefix.Length != RandomPrefixLength)
        {
            throw new InvalidOperationException($"The random prefix source must return {RandomPrefixLength} bytes.");
        }

        return prefix;
    }

    private Aes RentCipher()
    {
        if (_ciphers.TryDequeue(out var aes))
        {
            return aes;
        }

        aes = Aes.Create();
        aes.Key = _key;
        return aes;
    }

    private void ReturnCipher(Aes aes)
    {
        if (_ciphers.Count < Environment.ProcessorCount * 4)
        {
            _ciphers.Enqueue(aes);
        }
        else
        {
            aes.Dispose();
        }
    }

    private string ReadFrame(ReadOnlySpan<byte> plain)
    {
        // Strict PKCS#7 (to 32): the pad byte is 1..32 and every pad byte carries it. Callers verify the signature
        // first, so this check is not a padding oracle for outsiders.
        var pad = plain.Length == 0 ? 0 : plain[^1];
        if (pad is < 1 or > PadBlockSize || pad > plain.Length)
        {
            throw new WeComCryptoException(WeComCryptoError.DecryptAes, "WeCom plaintext padding is invalid.");
        }

        for (var i = plain.Length - pad; i < plain.Length; i++)
        {
            if (plain[i] != pad)
            {
                throw new WeComCryptoException(WeComCryptoError.DecryptAes, "WeCom plaintext padding is invalid.");
            }
        }

        var content = plain[..(plain.Length - pad)];
        if (content.Length < RandomPrefixLength + MsgLenLength)
        {
            throw new WeComCryptoException(WeComCryptoError.IllegalBuffer, "WeCom plaintext is too short.");
        }

        var msgLength = BinaryPrimitives.ReadUInt32BigEndian(content.Slice(RandomPrefixLength, MsgLenLength));
        var available = content.Length - RandomPrefixLength - MsgLenLength;
        if (msgLength > (uint)available)
        {
            throw new WeComCryptoException(WeComCryptoError.IllegalBuffer, "WeCom msg_len exceeds the plaintext.");
        }

        var msg = content.Slice(RandomPrefixLength + MsgLenLength, (int)msgLength);
        var receiveId = content[(RandomPrefixLength + MsgLenLength + (int)msgLength)..];
        if (!receiveId.SequenceEqual(_receiveId))
        {
            throw new WeComCryptoException(WeComCryptoError.ValidateCorpId, "WeCom receiveid does not match the configured corp id.");
        }

        try
        {
            return StrictUtf8.GetString(msg);
        }
        catch (DecoderFallbackException)
        {
            throw new WeComCryptoException(WeComCryptoError.IllegalBuffer, "WeCom msg is not valid UTF-8.");
        }
    }
}
