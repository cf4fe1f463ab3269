using AgentStrace.Capture.Redaction;
using AgentStrace.Errors;
using AgentStrace.Model;
using AgentStrace.Store;

namespace AgentStrace.Capture.Import;

/// <summary>Totals of one history import.</summary>
public sealed record HistoryImportSummary(int Files, int Unchanged, int Failed, int Sessions, int NewEvents, int HeldBack = 0);

/// <summary>
/// Imports many history files in parallel (each file is read once and its sessions written in one append each),
/// skipping files unchanged since the last import (<see cref="ImportState"/>). The reader turns one file into
/// sessions, so every agent format shares this pipeline.
/// </summary>
public sealed class HistoryImport(TraceStore store, Redactor redactor, Func<string, IEnumerable<ImportedSession>> reader)
{
    public int MaxParallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>Called after each file with (files done, file).</summary>
    public Action<int, string>? OnProgress { get; init; }

    /// <summary>Called with (file, result) for each session stored.</summary>
    public Action<string, ImportResult>? OnSession { get; init; }

    /// <summary>Called for a file that could not be imported; the others go on.</summary>
    public Action<string, Exception>? OnError { get; init; }

    /// <param name="cancellationToken">Checked before each file: files in hand finish (each session is one append) and are
    /// remembered, so a cancelled import loses no work and damages nothing.</param>
    public HistoryImportSummary Run(IReadOnlyList<string> files, CancellationToken cancellationToken = default)
    {
        ImportState state = ImportState.Load(store);
        var writer = new SessionImportWriter(store, redactor);
        int done = 0, unchanged = 0, failed = 0, sessions = 0, events = 0, heldBackFiles = 0;
        try
        {
            Workers.For(files.Count, MaxParallelism, index => ImportFile(files[index]), cancellationToken);
        }
        finally
        {
            state.Save(store);
        }
        return new HistoryImportSummary(files.Count, unchanged, failed, sessions, events, heldBackFiles);

        void ImportFile(string file)
        {
            string key = Path.GetFullPath(file);
            try
            {
                string fingerprint = ImportState.Fingerprint(key);
                if (state.IsUnchanged(store, key, fingerprint))
                {
                    Interlocked.Increment(ref unchanged);
                }
                else
                {
                    var ids = new List<string>();
                    bool heldBack = false;
                    foreach (ImportedSession s in reader(key))
                    {
                        heldBack |= s.Mapped.HeldBack;
                        if (writer.Write(s) is not { } r) continue;
                        ids.Add(r.SessionId);
                        OnSession?.Invoke(key, r);
                        Interlocked.Increment(ref sessions);
                        Interlocked.Add(ref events, r.NewEvents);
                    }
                    // Fingerprint taken before reading: a file that grew meanwhile is read again next time; so is one
                    // whose last request was still streaming.
                    if (heldBack) { state.Forget(key); Interlocked.Increment(ref heldBackFiles); }
                    else state.Record(key, fingerprint, ids);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or AgentStraceException)
            {
                Interlocked.Increment(ref failed);
                state.Forget(key);
                OnError?.Invoke(file, ex);
            }
            OnProgress?.Invoke(Interlocked.Increment(ref done), file);
        }
    }
}
