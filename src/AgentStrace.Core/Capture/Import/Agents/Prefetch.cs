using System.Runtime.ExceptionServices;
using AgentStrace.Model;

namespace AgentStrace.Capture.Import.Agents;

/// <summary>
/// Reads a session's events on a second thread while the caller stores them: parsing a Codex or Gemini file and
/// hashing, chaining and writing its events then take a core each. At most <see cref="Capacity"/> events wait between
/// the two, so memory stays bounded. A failure of the reader is rethrown to the caller as it was thrown; a caller that
/// stops early stops the reader. With one core the events are read on the caller's thread, as before.
/// </summary>
internal static class Prefetch
{
    internal const int Capacity = 256;

    // The writer is woken when this many events wait (or the reader is done), the reader when half the room is free:
    // a wake-up per event would cost more than the work it hands over.
    private const int Batch = 64;

    public static IEnumerable<TraceEvent> Events(IEnumerable<TraceEvent> source) =>
        Environment.ProcessorCount < 2 ? source : Run(source);

    private static IEnumerable<TraceEvent> Run(IEnumerable<TraceEvent> source)
    {
        var channel = new Channel();
        var thread = new Thread(() => channel.Produce(source)) { IsBackground = true, Name = "import-reader" };
        thread.Start();
        try
        {
            while (channel.Take(out TraceEvent? e)) yield return e;
        }
        finally
        {
            channel.Stop();
            thread.Join();
        }
        channel.Failure?.Throw();
    }

    private sealed class Channel
    {
        private readonly Queue<TraceEvent> _queue = new();
        private bool _done, _stopped, _takerWaiting, _producerWaiting;

        public ExceptionDispatchInfo? Failure { get; private set; }

        public void Produce(IEnumerable<TraceEvent> source)
        {
            try
            {
                // Allocations are counted per thread: the writer's pacer does not see the reader's garbage.
                var pacer = new GarbagePacer(full: false);
                foreach (TraceEvent e in source)
                {
                    pacer.Step();
                    lock (_queue)
                    {
                        while (_queue.Count >= Capacity && !_stopped)
                        {
                            _producerWaiting = true;
                            Monitor.Wait(_queue);
                            _producerWaiting = false;
                        }
                        if (_stopped) return;
                        _queue.Enqueue(e);
                        if (_takerWaiting && _queue.Count >= Batch) Monitor.PulseAll(_queue);
                    }
                }
            }
            catch (Exception ex)
            {
                Failure = ExceptionDispatchInfo.Capture(ex);
            }
            finally
            {
                lock (_queue)
                {
                    _done = true;
                    Monitor.PulseAll(_queue);
                }
            }
        }

        /// <summary>The next event; false once the reader has finished (or failed) and every event was taken.</summary>
        public bool Take([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out TraceEvent? e)
        {
            lock (_queue)
            {
                while (_queue.Count == 0 && !_done)
                {
                    _takerWaiting = true;
                    Monitor.Wait(_queue);
                    _takerWaiting = false;
                }
                if (!_queue.TryDequeue(out e)) return false;
                if (_producerWaiting && _queue.Count <= Capacity / 2) Monitor.PulseAll(_queue);
                return true;
            }
        }

        public void Stop()
        {
            lock (_queue)
            {
                _stopped = true;
                Monitor.PulseAll(_queue);
            }
        }
    }
}
