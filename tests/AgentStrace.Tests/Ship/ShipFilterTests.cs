using AgentStrace.Config;
using AgentStrace.Ship;

namespace AgentStrace.Tests.Ship;

public sealed class ShipFilterTests
{
    [Test]
    [Arguments("/home/*/work/**", "/home/dana/work/app/src", true)]
    [Arguments("/home/*/work/**", "/home/dana/play/app", false)]
    [Arguments("**/payments*", "/srv/repos/payments-api", true)]
    [Arguments("/srv/*", "/srv/a/b", false)]
    [Arguments("/srv/?", "/srv/a", true)]
    public async Task Glob(string glob, string path, bool match) => await Assert.That(ShipFilter.GlobMatch(glob, path)).IsEqualTo(match);

    [Test]
    public async Task Sampling_DeterministicBySessionId_NearTheRatio()
    {
        var ids = Enumerable.Range(0, 4000).Select(i => $"session-{i:x8}").ToList();
        int kept = ids.Count(id => ShipFilter.Sampled(id, 0.25));
        await Assert.That(kept).IsBetween(800, 1200);
        await Assert.That(ids.All(id => ShipFilter.Sampled(id, 0.25) == ShipFilter.Sampled(id, 0.25))).IsTrue();
        await Assert.That(ids.All(id => ShipFilter.Sampled(id, 1.0))).IsTrue();
    }

    [Test]
    public async Task Header_VariableReferenceKeptAsReference()
    {
        ShipHeader h = ShipConfig.ParseHeader("x-honeycomb-team: ${HONEYCOMB_API_KEY}");
        await Assert.That(h.Env).IsEqualTo("HONEYCOMB_API_KEY");
        await Assert.That(h.Value).IsEqualTo("");
        var resolved = new ShipConfig { To = "http://127.0.0.1:1", Headers = [h] }.ResolveHeaders(n => n == "HONEYCOMB_API_KEY" ? "k1" : null);
        await Assert.That(resolved.Single()).IsEqualTo("x-honeycomb-team: k1");
    }
}
