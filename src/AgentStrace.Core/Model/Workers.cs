using System.Runtime.ExceptionServices;

namespace AgentStrace.Model;

/// <summary>
/// Runs <c>body(0..count-1)</c> on up to <c>degree</c> threads (the caller's among them). A few plain threads instead
/// of System.Threading.Tasks.Parallel, which would add a few hundred KB to the AOT binary. The first exception a
/// body throws is rethrown after every worker has stopped.
/// </summary>
public static class Workers
{
    /// <param name="cancellationToken">Checked before each item: a cancelled run stops after the items in hand and throws.</param>
    public static void For(int count, int degree, Action<int> body, CancellationToken cancellationToken = default)
    {
        int next = -1;
        ExceptionDispatchInfo? failure = null;
        void Work()
        {
            int i;
            while (Volatile.Read(ref failure) is null && !cancellationToken.IsCancellationRequested && (i = Interlocked.Increment(ref next)) < count)
            {
                try
                {
                    body(i);
                }
                catch (Exception ex)
                {
                    Interlocked.CompareExchange(ref failure, ExceptionDispatchInfo.Capture(ex), null);
                }
            }
        }
        int threads = Math.Clamp(degree, 1, Math.Max(1, count));
        var started = new List<Thread>();
        for (int t = 1; t < threads; t++)
        {
            var thread = new Thread(Work) { IsBackground = true, Name = "agent-strace worker" };
            thread.Start();
            started.Add(thread);
        }
        Work();
        foreach (Thread thread in started) thread.Join();
        failure?.Throw();
        cancellationToken.ThrowIfCancellationRequested();
    }
}
