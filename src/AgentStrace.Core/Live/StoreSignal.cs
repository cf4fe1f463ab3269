namespace AgentStrace.Live;

/// <summary>
/// Wakes the tailer when something in the store changes (FileSystemWatcher), with polling as the fallback: a
/// wait always ends after the poll interval, so missed or unsupported notifications (network drives, inotify
/// limits) only add latency.
/// </summary>
public sealed class StoreSignal : IDisposable
{
    private readonly SemaphoreSlim _changed = new(0);
    private readonly FileSystemWatcher? _watcher;

    public StoreSignal(string root, Action<string> warn)
    {
        if (!Directory.Exists(root)) return;
        try
        {
            _watcher = new FileSystemWatcher(root)
            {
                IncludeSubdirectories = true,
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size,
                InternalBufferSize = 64 * 1024,
            };
            _watcher.Changed += OnChange;
            _watcher.Created += OnChange;
            _watcher.Renamed += OnChange;
            _watcher.Error += (_, _) => Signal();
            _watcher.EnableRaisingEvents = true;
        }
        catch (Exception ex) when (ex is IOException or PlatformNotSupportedException or UnauthorizedAccessException or ArgumentException)
        {
            _watcher?.Dispose();
            _watcher = null;
            warn($"file change notifications are unavailable ({ex.Message}); polling the store instead");
        }
    }

    public bool Notifying => _watcher is not null;

    private void OnChange(object sender, FileSystemEventArgs e)
    {
        // Our own spool and status writes are not news.
        if (e.FullPath.Contains(Path.DirectorySeparatorChar + ".spool", StringComparison.Ordinal)) return;
        Signal();
    }

    public void Signal()
    {
        if (_changed.CurrentCount == 0) _changed.Release();
    }

    /// <summary>Waits for a change or the poll interval, whichever comes first.</summary>
    public async Task WaitAsync(TimeSpan pollInterval, CancellationToken cancellationToken)
    {
        try { await _changed.WaitAsync(pollInterval, cancellationToken); }
        catch (OperationCanceledException) { }
    }

    public void Dispose()
    {
        _watcher?.Dispose();
        _changed.Dispose();
    }
}
