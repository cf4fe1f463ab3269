namespace AgentStrace.Capture.Import;

/// <summary>
/// Collects the young generation every few MiB a streamed import allocates on this thread, and the whole heap every
/// few hundred. Everything a streamed import allocates is garbage a moment later, and the process-wide young-generation
/// budget (sized for exports) would let the heap grow by that whole budget before a collection; collecting every 4 MiB
/// keeps the peak near the live set. The indexes that do live (request plans, tool calls, event ids) grow by doubling,
/// and what they leave behind when they grow is freed only by a full collection, which the runtime would put off until
/// the heap had doubled: one every 32 MiB allocated (not compacting: compacting copies into fresh pages) keeps the peak
/// near the live set. A helper thread of the same import (the reader of <c>Prefetch</c>) paces only its young
/// generation: a full collection covers the whole heap, and the storing thread's pacer already makes those.
/// </summary>
/// <param name="full">False on a helper thread: collect only the young generation.</param>
public struct GarbagePacer(bool full = true)
{
    private const long Young = 4 << 20, Full = 32 << 20;
    private long _collected = GC.GetAllocatedBytesForCurrentThread(), _fullAt = full ? GC.GetAllocatedBytesForCurrentThread() + Full : long.MaxValue;
    private int _steps;

    /// <summary>Call once per item; checks the allocation count every 256 items.</summary>
    public void Step()
    {
        if (++_steps % 256 != 0) return;
        long allocated = GC.GetAllocatedBytesForCurrentThread();
        if (allocated - _collected <= Young) return;
        if (allocated >= _fullAt)
        {
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: false);
            _fullAt = allocated + Full;
        }
        else
        {
            GC.Collect(0, GCCollectionMode.Forced, blocking: true, compacting: false);
        }
        _collected = GC.GetAllocatedBytesForCurrentThread();
    }
}
