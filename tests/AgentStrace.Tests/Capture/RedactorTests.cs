using System.Text;
using AgentStrace.Capture.Redaction;
using AgentStrace.Json;

namespace AgentStrace.Tests.Capture;

public sealed class RedactorTests
{
    [Test]
    [Arguments("key sk-ant-api03-abcdefghijklmnopqrstuv", "key [REDACTED:anthropic-key]")]
    [Arguments("sk-abc123def456ghi789jkl012mno345pqr678", "[REDACTED:openai-key]")]
    [Arguments("ghp_abcdefghijklmnopqrstuvwxyz0123456789", "[REDACTED:github-token]")]
    [Arguments("AKIAABCDEFGHIJKLMNOP", "[REDACTED:aws-access-key]")]
    [Arguments("Authorization: Bearer abc.def-ghi", "Authorization: [REDACTED:bearer-token]")]
    [Arguments("https://user:pass@example.com/x", "https://[REDACTED:basic-auth]@example.com/x")]
    [Arguments("postgres://u:p@h/db now", "[REDACTED:connection-string] now")]
    [Arguments("-----BEGIN RSA PRIVATE KEY-----\nabc\n-----END RSA PRIVATE KEY-----", "[REDACTED:private-key]")]
    [Arguments("eyJhbGciOiJIUzI1.eyJzdWIiOiIxMjM0.SflKxwRJSMeKKF2Q", "[REDACTED:jwt]")]
    [Arguments("plain text stays", "plain text stays")]
    // Vendor tokens glued to a word by a separator are still tokens; generic prefixes there are not.
    [Arguments("call_ghp_abcdefghijklmnopqrstuvwxyz0123456789", "call_[REDACTED:github-token]")]
    [Arguments("model-ghp_abcdefghijklmnopqrstuvwxyz0123456789", "model-[REDACTED:github-token]")]
    [Arguments("/api/glpat-abcdefghij0123456789xyz/x", "/api/[REDACTED:gitlab-token]/x")]
    [Arguments("tool_sk-ant-api03-abcdefghijklmnopqrstuv", "tool_[REDACTED:anthropic-key]")]
    [Arguments("xghp_abcdefghijklmnopqrstuvwxyz0123456789", "xghp_abcdefghijklmnopqrstuvwxyz0123456789")]
    [Arguments("my-key-abc123def456ghi789", "my-key-abc123def456ghi789")]
    [Arguments("the-task-abc123def456ghi789jkl012mno", "the-task-abc123def456ghi789jkl012mno")]
    public async Task Text_KnownSecretShapes_BecomeTypedMarkers(string input, string expected)
    {
        await Assert.That(Redactor.On.Text(input)).IsEqualTo(expected);
    }

    [Test]
    public async Task Data_SensitiveKeysAndNestedStrings_AreRedactedAndFlagged()
    {
        var data = new RawJsonObject(Encoding.UTF8.GetBytes("{\"arguments\":{\"Api-Key\":\"x\",\"tokens\":[1],\"credentials\":[\"a\",\"b\"],\"n\":5,\"cmd\":\"curl -H 'Authorization: Bearer zzzzzzzz'\"}}"));
        RawJsonObject result = Redactor.On.Data(data, out bool redacted);
        await Assert.That(redacted).IsTrue();
        await Assert.That(Encoding.UTF8.GetString(result.Raw.Span)).IsEqualTo(
            "{\"arguments\":{\"Api-Key\":\"[REDACTED:sensitive]\",\"tokens\":[1],\"credentials\":[\"[REDACTED:sensitive]\",\"[REDACTED:sensitive]\"],\"n\":5,\"cmd\":\"curl -H 'Authorization: [REDACTED:bearer-token]'\"}}");
    }

    [Test]
    public async Task Data_NothingSecret_IsUnchangedAndNotFlagged()
    {
        var data = new RawJsonObject(Encoding.UTF8.GetBytes("{\"tool_name\":\"Read\",\"arguments\":{\"file_path\":\"/a/b.cs\"}}"));
        RawJsonObject result = Redactor.On.Data(data, out bool redacted);
        await Assert.That(redacted).IsFalse();
        await Assert.That(result.Raw.Span.SequenceEqual(data.Raw.Span)).IsTrue();
    }

    [Test]
    public async Task Off_ChangesNothing()
    {
        await Assert.That(Redactor.Off.Text("sk-abc123def456ghi789jkl012mno345pqr678")).IsEqualTo("sk-abc123def456ghi789jkl012mno345pqr678");
    }
}

public sealed class Sha256Tests
{
    [Test]
    [Arguments(0)]
    [Arguments(3)]
    [Arguments(55)]
    [Arguments(56)]
    [Arguments(63)]
    [Arguments(64)]
    [Arguments(65)]
    [Arguments(119)]
    [Arguments(1000)]
    public async Task HashHex_MatchesThePlatformSha256(int length)
    {
        byte[] data = new byte[length];
        new Random(length).NextBytes(data);
        await Assert.That(AgentStrace.Model.Sha256.HashHex(data)).IsEqualTo(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(data)));
    }
}
