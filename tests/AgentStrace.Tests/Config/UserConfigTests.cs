using AgentStrace.Config;
using AgentStrace.Testing;

namespace AgentStrace.Tests.Config;

/// <summary>
/// The user's config.json is read through the generated strict document: what <c>setup --ship-to</c> writes reads
/// back the same, and a misspelt or repeated setting is one line naming the file and where, never a silent default.
/// </summary>
public sealed class UserConfigTests
{
    private static string Error(string json)
    {
        using var dir = new TempDir();
        string path = Path.Combine(dir.Path, "config.json");
        File.WriteAllText(path, json);
        FormatException? ex = Assert.Throws<FormatException>(() => UserConfig.Load(path));
        return ex!.Message.Replace(path, "FILE", StringComparison.Ordinal);
    }

    [Test]
    [Arguments("{ not json", "FILE is not valid JSON ('n' is an invalid start of a property name. Expected a '\"'); fix or delete it.")]
    [Arguments("[]", "FILE is not valid JSON (the document must be an object); fix or delete it.")]
    [Arguments("{\"redcat\": false}", "FILE is not valid JSON (the document has an unknown key \"redcat\" (known: redact, transcript_usage, ship)); fix or delete it.")]
    [Arguments("{\"redact\": false, \"redact\": true}", "FILE is not valid JSON (the document has the key \"redact\" twice in one object); fix or delete it.")]
    [Arguments("{\"redact\": \"no\"}", "FILE is not valid JSON ($.redact must be true or false); fix or delete it.")]
    [Arguments("{\"ship\": {}}", "the \"ship\" section of FILE is not valid ($.ship needs 'to'); run 'agent-strace setup --ship-to URL' again")]
    [Arguments("{\"ship\": {\"to\": \"http://127.0.0.1:9\", \"concurency\": 2}}", "the \"ship\" section of FILE is not valid ($.ship has an unknown key \"concurency\" (known: to, protocol, format, service_name, backend, headers, header_file, user, anonymize_user, min_cost, errors_only, path, sample, max_age_days, max_mb, concurrency, batch_spans, metrics)); run 'agent-strace setup --ship-to URL' again")]
    [Arguments("{\"ship\": {\"to\": \"http://127.0.0.1:9\", \"headers\": [{\"name\": \"a\", \"env\": \"\\ud800\"}]}}", "the \"ship\" section of FILE is not valid ($.ship.headers[0].env holds a string that is not valid Unicode (a lone surrogate such as \\ud800, or bytes that are not UTF-8)); run 'agent-strace setup --ship-to URL' again")]
    public async Task Invalid_IsOneLineNamingWhere(string json, string expected)
    {
        await Assert.That(Error(json)).IsEqualTo(expected);
    }

    [Test]
    public async Task Settings_AreRead_AndShipSaves_KeepingThem()
    {
        using var dir = new TempDir();
        string path = Path.Combine(dir.Path, "agent-strace", "config.json");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "{\"redact\": false, \"transcript_usage\": true}");
        UserConfig user = UserConfig.Load(path);
        await Assert.That(user.Document.Redact == false).IsTrue();
        await Assert.That(ShipConfig.From(user, out string problem)).IsNull();
        await Assert.That(problem).IsEqualTo("");

        var ship = new ShipConfig
        {
            To = "http://127.0.0.1:4318/", Protocol = "grpc", Headers = [new ShipHeader("x-key", Env: "KEY"), new ShipHeader("x-team", "t")],
            MinCost = 0.5, Sample = 0.25, Concurrency = 2, Metrics = true,
        };
        ShipConfig.Save(user, ship);
        await Assert.That(File.ReadAllText(path)).IsEqualTo("""
            {
              "redact": false,
              "transcript_usage": true,
              "ship": {
                "to": "http://127.0.0.1:4318/",
                "protocol": "grpc",
                "format": "otlp-genai",
                "headers": [
                  {
                    "name": "x-key",
                    "env": "KEY"
                  },
                  {
                    "name": "x-team",
                    "value": "t"
                  }
                ],
                "anonymize_user": false,
                "min_cost": 0.5,
                "sample": 0.25,
                "max_age_days": 30,
                "max_mb": 1024,
                "concurrency": 2,
                "batch_spans": 256,
                "metrics": true
              }
            }
            """);
        UserConfig back = UserConfig.Load(path);
        ShipConfig? read = ShipConfig.From(back, out problem);
        await Assert.That(problem).IsEqualTo("");
        await Assert.That(read).IsEqualTo(ship with { Headers = read!.Headers });
        await Assert.That(read.Headers.ToList()).IsEquivalentTo(ship.Headers.ToList(), TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(back.Document.Redact == false).IsTrue();
    }
}
