namespace Linping.CppccBot.Channels.WeCom;

/// <summary>
/// The error codes of Tencent's callback crypto libraries (WXBizMsgCrypt). They are library-local codes, not API
/// errcodes; mirroring them keeps logs comparable with the official samples.
/// </summary>
public enum WeComCryptoError
{
    /// <summary>Signature mismatch.</summary>
    ValidateSignature = -40001,

    /// <summary>The XML (envelope or message) could not be parsed or lacks a required element.</summary>
    ParseXml = -40002,

    /// <summary>The signature could not be computed.</summary>
    ComputeSignature = -40003,

    /// <summary>The EncodingAESKey is not 43 base64 characters decoding to 32 bytes.</summary>
    IllegalAesKey = -40004,

    /// <summary>The receiveid at the end of the plaintext is not the configured one (corpid).</summary>
    ValidateCorpId = -40005,

    /// <summary>AES encryption failed.</summary>
    EncryptAes = -40006,

    /// <summary>AES decryption failed or the padding is invalid.</summary>
    DecryptAes = -40007,

    /// <summary>The decrypted buffer does not have the random(16) + msg_len(4) + msg + receiveid layout.</summary>
    IllegalBuffer = -40008,

    /// <summary>Base64 encoding failed.</summary>
    EncodeBase64 = -40009,

    /// <summary>The ciphertext is not valid base64 or not a whole number of AES blocks.</summary>
    DecodeBase64 = -40010,
}

/// <summary>
/// A callback could not be verified, decrypted or parsed. The message names only the failed step: it never carries
/// plaintext, ciphertext or keys, so it is safe to log.
/// </summary>
public sealed class WeComCryptoException : Exception
{
    public WeComCryptoException()
        : this(WeComCryptoError.ParseXml, "WeCom callback could not be processed.")
    {
    }

    public WeComCryptoException(string message)
        : this(WeComCryptoError.ParseXml, message)
    {
    }

    public WeComCryptoException(string message, Exception innerException)
        : this(WeComCryptoError.ParseXml, message, innerException)
    {
    }

    public WeComCryptoException(WeComCryptoError error, string message)
        : base(message) => Error = error;

    public WeComCryptoException(WeComCryptoError error, string message, Exception? innerException)
        : base(message, innerException) => Error = error;

    /// <summary>Which step failed, with the official library's numeric code.</summary>
    public WeComCryptoError Error { get; }

    /// <summary>The official library's numeric code, e.g. -40001.</summary>
    public int Code => (int)Error;
}
