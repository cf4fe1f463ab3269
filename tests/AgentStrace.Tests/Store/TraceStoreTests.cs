using AgentStrace.Errors;
using AgentStrace.Store;
using AgentStrace.Testing;

namespace AgentStrace.Tests.Store;

public sealed class TraceStoreTests
{
    [Test]
    [Arguments("../x")]
    [Arguments("a/b")]
    [Arguments("/etc/passwd")]
    [Arguments("..")]
    [Arguments("a\0b")]
    [Arguments("a\\b")]
    [Arguments("")]
    public async Task Find_HostileId_IsRejectedAsUsageError(string id)
    {
        var store = new TraceStore(Repo.SampleStore);
        var ex = await Assert.That(() => store.Find(id)).Throws<AgentStraceException>();
        await Assert.That(ex!.ExitCode).IsEqualTo(ExitCodes.Usage);
    }

    [Test]
    public async Task Find_Prefix_ResolvesUniqueSession()
    {
        var store = new TraceStore(Repo.SampleStore);
        await Assert.That(store.Find("c7a0").Id).IsEqualTo("c7a05e3f91d24b68");
        await Assert.That(store.Find("9f1c2b7e-5a4d-4c").Meta.AgentName).IsEqualTo("claude-code");
        await Assert.That(() => store.Find("zzz")).Throws<SessionNotFoundException>();
    }

    [Test]
    public async Task List_SortsByStartTime_AndLatestIsNewest()
    {
        var store = new TraceStore(Repo.SampleStore);
        var ids = store.List().Select(s => s.Id).ToArray();
        await Assert.That(ids).IsEquivalentTo(new[] { "c7a05e3f91d24b68", "b41d7e09c2a84f65", "9f1c2b7e-5a4d-4c" }, TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(store.Latest().Id).IsEqualTo("c7a05e3f91d24b68");
    }

    [Test]
    public async Task Latest_IsTheNewestTopLevelSession_NotItsNewerSubAgent()
    {
        string root = Path.Combine(Path.GetTempPath(), "as-latest-" + Guid.NewGuid().ToString("N"));
        try
        {
            var store = new TraceStore(root);
            store.Create(new AgentStrace.Model.SessionMeta { SessionId = "old-top", StartedAt = 100 });
            store.Create(new AgentStrace.Model.SessionMeta { SessionId = "parent", StartedAt = 200 });
            store.Create(new AgentStrace.Model.SessionMeta { SessionId = "child", StartedAt = 214, ParentSessionId = "parent", Depth = 1 });
            await Assert.That(store.Latest().Id).IsEqualTo("parent");
            await Assert.That(store.FindOrLatest(null).Id).IsEqualTo("parent");

            // A sub-agent whose parent is not in the store is the top of what the store holds.
            store.Create(new AgentStrace.Model.SessionMeta { SessionId = "orphan", StartedAt = 300, ParentSessionId = "gone", Depth = 1 });
            await Assert.That(store.Latest().Id).IsEqualTo("orphan");
        }
        finally { Directory.Delete(root, true); }
    }

    [Test]
    public async Task List_SinceUntil_FiltersByStart()
    {
        var store = new TraceStore(Repo.SampleStore);
        var ids = store.List(1778140825.0, 1778145000.0).Select(s => s.Id).ToArray();
        await Assert.That(ids).IsEquivalentTo(new[] { "b41d7e09c2a84f65" }, TUnit.Assertions.Enums.CollectionOrdering.Matching);
    }

    [Test]
    [Arguments("7d", 1_000_000.0 - 7 * 86400)]
    [Arguments("24h", 1_000_000.0 - 86400)]
    [Arguments("30m", 1_000_000.0 - 1800)]
    [Arguments("7", 1_000_000.0 - 7 * 86400)]
    [Arguments("2026-01-01", 1767225600.0)]
    [Arguments("2026-01-01T12:00:00Z", 1767268800.0)]
    [Arguments("1767225600", 1767225600.0)]
    public async Task TimeBound_Parses(string text, double expected)
    {
        await Assert.That(TimeBound.Parse(text, "--since", 1_000_000.0)).IsEqualTo(expected);
    }

    [Test]
    public async Task TimeBound_Garbage_IsUsageError()
    {
        await Assert.That(() => TimeBound.Parse("yesterday-ish", "--since", 0)).Throws<AgentStraceException>();
    }
}
