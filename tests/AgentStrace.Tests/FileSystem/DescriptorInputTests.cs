using System.Diagnostics;
using System.IO.Pipes;
using System.Text;
using AgentStrace.Capture.Hooks;
using AgentStrace.FileSystem;

namespace AgentStrace.Tests.FileSystem;

/// <summary>A hook's stdin read on its own thread (poll + read): bounded waits, the bytes as written, the end seen.</summary>
public sealed class DescriptorInputTests
{
    private static int ReadEnd(AnonymousPipeServerStream writer) => (int)writer.ClientSafePipeHandle.DangerousGetHandle();

    [Test]
    public async Task Read_NothingWritten_ReturnsMinusOneAfterTheTimeout()
    {
        Skip.When(OperatingSystem.IsWindows(), "descriptors are Unix");
        using var writer = new AnonymousPipeServerStream(PipeDirection.Out);
        var input = new DescriptorInput(ReadEnd(writer));
        var clock = Stopwatch.StartNew();
        int n = input.Read(new byte[16], TimeSpan.FromMilliseconds(150));
        await Assert.That(n).IsEqualTo(-1);
        await Assert.That(clock.Elapsed).IsGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(140));
        await Assert.That(clock.Elapsed).IsLessThan(TimeSpan.FromSeconds(10));
    }

    [Test]
    public async Task Read_ReturnsTheWrittenBytes_ThenZeroAtTheEnd()
    {
        Skip.When(OperatingSystem.IsWindows(), "descriptors are Unix");
        using var reader = new AnonymousPipeServerStream(PipeDirection.In);
        var writer = new AnonymousPipeClientStream(PipeDirection.Out, reader.ClientSafePipeHandle);
        var input = new DescriptorInput((int)reader.SafePipeHandle.DangerousGetHandle());
        writer.Write("abc"u8);
        writer.Flush();
        byte[] buffer = new byte[16];
        int n = input.Read(buffer, TimeSpan.FromSeconds(10));
        await Assert.That(Encoding.ASCII.GetString(buffer, 0, n)).IsEqualTo("abc");
        writer.Dispose();
        reader.DisposeLocalCopyOfClientHandle();
        await Assert.That(input.Read(buffer, TimeSpan.FromSeconds(10))).IsEqualTo(0);
    }

    [Test]
    public async Task HookStdin_OpenPipeAfterAWholePayload_ReturnsItWithoutWaitingForTheDeadline()
    {
        Skip.When(OperatingSystem.IsWindows(), "descriptors are Unix");
        using var writer = new AnonymousPipeServerStream(PipeDirection.Out);
        writer.Write("""{"session_id":"s","prompt":"hi"}"""u8);
        writer.Flush();
        var clock = Stopwatch.StartNew();
        byte[] payload = HookStdin.Read(new DescriptorInput(ReadEnd(writer)), TimeSpan.FromSeconds(20));
        await Assert.That(Encoding.UTF8.GetString(payload)).IsEqualTo("""{"session_id":"s","prompt":"hi"}""");
        await Assert.That(clock.Elapsed).IsLessThan(TimeSpan.FromSeconds(10));
    }

    [Test]
    public async Task HookStdin_OpenSilentPipe_TimesOutAtTheDeadline()
    {
        Skip.When(OperatingSystem.IsWindows(), "descriptors are Unix");
        using var writer = new AnonymousPipeServerStream(PipeDirection.Out);
        var clock = Stopwatch.StartNew();
        await Assert.That(() => HookStdin.Read(new DescriptorInput(ReadEnd(writer)), TimeSpan.FromMilliseconds(200))).Throws<TimeoutException>();
        await Assert.That(clock.Elapsed).IsLessThan(TimeSpan.FromSeconds(10));
    }
}
