using System.Globalization;

namespace AgentStrace.Otlp.Transport;

/// <summary>
/// Adds up the results of the requests of one export and words the lines the caller prints: rejected items
/// (partial success) and the overall outcome. Any failed request or rejected item means exit code 3.
/// </summary>
public sealed class OtlpDeliveryReport(OtlpSignal signal)
{
    private readonly List<string> _messages = [];

    public int Requests { get; private set; }
    public int FailedRequests { get; private set; }
    public long ItemsSent { get; private set; }
    public long ItemsDelivered { get; private set; }
    public long ItemsRejected { get; private set; }

    /// <summary>True when every request was delivered and nothing was rejected.</summary>
    public bool Success => FailedRequests == 0 && ItemsRejected == 0;

    /// <summary>Distinct failure and partial-success messages, in order (already scrubbed, one line each).</summary>
    public IReadOnlyList<string> Messages => _messages;

    public void Add(OtlpSendResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        Requests++;
        ItemsSent += result.ItemCount;
        if (result.Delivered)
        {
            ItemsRejected += result.Rejected;
            ItemsDelivered += Math.Max(0, result.ItemCount - result.Rejected);
        }
        else
        {
            FailedRequests++;
        }
        if (result.Message.Length > 0 && !_messages.Contains(result.Message)) _messages.Add(result.Message);
    }

    /// <summary>
    /// The rejection line, e.g. <c>Rejected 3 of 120 spans (partial success); see the messages above.</c>, or null when nothing was rejected.
    /// </summary>
    public string? RejectedLine() => ItemsRejected == 0 ? null
        : string.Create(CultureInfo.InvariantCulture, $"Rejected {ItemsRejected} of {ItemsSent} {signal.ItemName()} (partial success, not retried).");

    /// <summary>A one-line summary such as <c>Delivered 118 of 120 spans in 3 requests (1 failed).</c></summary>
    public string Summary()
    {
        string failed = FailedRequests > 0 ? string.Create(CultureInfo.InvariantCulture, $" ({FailedRequests} failed).") : ".";
        return string.Create(CultureInfo.InvariantCulture,
            $"Delivered {ItemsDelivered} of {ItemsSent} {signal.ItemName()} in {Requests} request{(Requests == 1 ? "" : "s")}{failed}");
    }
}
