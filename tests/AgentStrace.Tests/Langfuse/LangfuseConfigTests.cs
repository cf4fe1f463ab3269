using AgentStrace.Errors;
using AgentStrace.Langfuse;

namespace AgentStrace.Tests.Langfuse;

public sealed class LangfuseConfigTests
{
    private static Func<string, string?> Env(params (string Key, string Value)[] vars) =>
        name => vars.FirstOrDefault(v => v.Key == name).Value;

    [Test]
    public async Task Defaults_CloudEu_KeysFromEnvironment()
    {
        var c = LangfuseConfig.Resolve(null, null, null, Env(("LANGFUSE_PUBLIC_KEY", "pk"), ("LANGFUSE_SECRET_KEY", "sk")));
        await Assert.That(c.DisplayHost).IsEqualTo("https://cloud.langfuse.com");
        await Assert.That(c.OtelTracesUrl.ToString()).IsEqualTo("https://cloud.langfuse.com/api/public/otel/v1/traces");
        await Assert.That(c.IngestionUrl.ToString()).IsEqualTo("https://cloud.langfuse.com/api/public/ingestion");
        await Assert.That(c.AuthorizationValue).IsEqualTo("Basic " + Convert.ToBase64String("pk:sk"u8.ToArray()));
    }

    [Test]
    [Arguments(null, "https://host-env", "https://base-env", "https://host-env")]
    [Arguments(null, null, "https://base-env", "https://base-env")]
    [Arguments("https://flag", "https://host-env", "https://base-env", "https://flag")]
    [Arguments("https://lf.example.com/sub/api/public/otel/", null, null, "https://lf.example.com/sub")]
    [Arguments("https://lf.example.com/api/public/otel/v1/traces", null, null, "https://lf.example.com")]
    public async Task Host_FlagThenHostThenBaseUrl_OtlpSuffixStripped(string? flag, string? host, string? baseUrl, string expected)
    {
        var vars = new List<(string, string)> { ("LANGFUSE_PUBLIC_KEY", "pk"), ("LANGFUSE_SECRET_KEY", "sk") };
        if (host is not null) vars.Add(("LANGFUSE_HOST", host));
        if (baseUrl is not null) vars.Add(("LANGFUSE_BASE_URL", baseUrl));
        var c = LangfuseConfig.Resolve(null, null, flag, Env([.. vars]));
        await Assert.That(c.DisplayHost).IsEqualTo(expected);
    }

    [Test]
    public async Task FlagsWinOverEnvironment()
    {
        var c = LangfuseConfig.Resolve("pk-flag", "sk-flag", null, Env(("LANGFUSE_PUBLIC_KEY", "pk"), ("LANGFUSE_SECRET_KEY", "sk")));
        await Assert.That(c.PublicKey).IsEqualTo("pk-flag");
        await Assert.That(c.SecretKey).IsEqualTo("sk-flag");
    }

    [Test]
    public async Task MissingSecret_UsageError()
    {
        var ex = Assert.Throws<AgentStraceException>(() => LangfuseConfig.Resolve(null, null, null, Env(("LANGFUSE_PUBLIC_KEY", "pk"))));
        await Assert.That(ex.ExitCode).IsEqualTo(ExitCodes.Usage);
        await Assert.That(ex.Message).Contains("LANGFUSE_SECRET_KEY");
    }

    [Test]
    public async Task ScoreId_DeterministicUuidShaped_DistinctPerSessionNameOccurrence()
    {
        string a = LangfuseIds.ScoreId("s1", "no_errors");
        await Assert.That(LangfuseIds.ScoreId("s1", "no_errors")).IsEqualTo(a);
        await Assert.That(Guid.TryParse(a, out _)).IsTrue();
        await Assert.That(a[14]).IsEqualTo('8');
        string[] others = [LangfuseIds.ScoreId("s2", "no_errors"), LangfuseIds.ScoreId("s1", "cost_under"), LangfuseIds.ScoreId("s1", "no_errors", 1)];
        await Assert.That(others.Distinct().Count()).IsEqualTo(3);
        await Assert.That(others).DoesNotContain(a);
    }
}
