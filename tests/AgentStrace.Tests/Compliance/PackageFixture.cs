using System.Buffers;
using System.Text;
using AgentStrace.Compliance;
using AgentStrace.Store;
using AgentStrace.Testing;

namespace AgentStrace.Tests.Compliance;

/// <summary>Builds EU AI Act packages from the sample store in memory for the package tests.</summary>
internal static class PackageFixture
{
    public const double Now = 1795000000.25;

    public static string Build(string? storeRoot = null, double now = Now)
    {
        var store = new TraceStore(storeRoot ?? Repo.SampleStore);
        var buffer = new ArrayBufferWriter<byte>();
        EuAiActPackage.Write(store.List(), buffer, now);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static PackageVerifyResult Verify(string package) =>
        PackageVerifier.Verify(new MemoryStream(Encoding.UTF8.GetBytes(package)));
}
