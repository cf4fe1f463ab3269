using AgentStrace.Otlp.Transport;

namespace AgentStrace.Tests.Otlp;

public sealed class OtlpRetryTests
{
    private static readonly DateTimeOffset s_now = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    [Test]
    [Arguments(429, true)]
    [Arguments(502, true)]
    [Arguments(503, true)]
    [Arguments(504, true)]
    [Arguments(400, false)]
    [Arguments(401, false)]
    [Arguments(404, false)]
    [Arguments(413, false)]
    [Arguments(500, false)]
    [Arguments(501, false)]
    public async Task IsRetryableHttpStatus_FollowsSpec(int status, bool expected) =>
        await Assert.That(OtlpRetry.IsRetryableHttpStatus(status)).IsEqualTo(expected);

    [Test]
    [Arguments(1, false, true)]
    [Arguments(4, false, true)]
    [Arguments(10, false, true)]
    [Arguments(11, false, true)]
    [Arguments(14, false, true)]
    [Arguments(15, false, true)]
    [Arguments(8, false, false)]
    [Arguments(8, true, true)]
    [Arguments(3, false, false)]
    [Arguments(16, false, false)]
    [Arguments(12, false, false)]
    public async Task IsRetryableGrpcStatus_FollowsSpec(int code, bool retryInfo, bool expected) =>
        await Assert.That(OtlpRetry.IsRetryableGrpcStatus(code, retryInfo)).IsEqualTo(expected);

    [Test]
    public async Task Backoff_Grows1Point5x_UpTo5Seconds()
    {
        TimeSpan b = OtlpRetry.InitialBackoff;
        var seen = new List<double>();
        for (int i = 0; i < 6; i++)
        {
            seen.Add(b.TotalSeconds);
            b = OtlpRetry.NextBackoff(b);
        }
        await Assert.That(seen).IsEquivalentTo(new[] { 1, 1.5, 2.25, 3.375, 5, 5 }, TUnit.Assertions.Enums.CollectionOrdering.Matching);
    }

    [Test]
    [Arguments(0.0, 0)]
    [Arguments(0.5, 500)]
    [Arguments(0.999, 999)]
    public async Task Decide_JittersWithinBackoff(double random, int expectedMs)
    {
        RetryDecision d = OtlpRetry.Decide(true, null, TimeSpan.FromSeconds(1), random, s_now, s_now.AddSeconds(10), 1);
        await Assert.That(d.Retry).IsTrue();
        await Assert.That((int)d.Delay.TotalMilliseconds).IsEqualTo(expectedMs);
        await Assert.That(d.Delay).IsLessThan(TimeSpan.FromSeconds(1));
    }

    [Test]
    public async Task Decide_ThrottleWins_AndIsClampedTo100Ms()
    {
        RetryDecision d = OtlpRetry.Decide(true, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(1), 0.1, s_now, s_now.AddSeconds(10), 1);
        await Assert.That(d.Delay).IsEqualTo(TimeSpan.FromSeconds(3));
        RetryDecision zero = OtlpRetry.Decide(true, TimeSpan.Zero, TimeSpan.FromSeconds(1), 0.1, s_now, s_now.AddSeconds(10), 1);
        await Assert.That(zero.Delay).IsEqualTo(TimeSpan.FromMilliseconds(100));
    }

    [Test]
    public async Task Decide_StopsWhenSleepWouldPassDeadline_OrNotRetryable()
    {
        RetryDecision late = OtlpRetry.Decide(true, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(1), 0.5, s_now, s_now.AddSeconds(10), 1);
        await Assert.That(late.Retry).IsFalse();
        await Assert.That(late.Reason).IsEqualTo(RetryStopReason.Deadline);
        RetryDecision bad = OtlpRetry.Decide(false, null, TimeSpan.FromSeconds(1), 0.5, s_now, s_now.AddSeconds(10), 1);
        await Assert.That(bad.Reason).IsEqualTo(RetryStopReason.NotRetryable);
        RetryDecision forever = OtlpRetry.Decide(true, null, TimeSpan.FromSeconds(1), 0.5, s_now, null, OtlpRetry.MaxAttemptsWithoutDeadline);
        await Assert.That(forever.Reason).IsEqualTo(RetryStopReason.TooManyAttempts);
    }

    [Test]
    public async Task ParseRetryAfter_SecondsOrHttpDate()
    {
        await Assert.That(OtlpRetry.ParseRetryAfter("7", s_now)).IsEqualTo(TimeSpan.FromSeconds(7));
        await Assert.That(OtlpRetry.ParseRetryAfter("Thu, 01 Jan 2026 12:00:04 GMT", s_now)).IsEqualTo(TimeSpan.FromSeconds(4));
        await Assert.That(OtlpRetry.ParseRetryAfter("Wed, 31 Dec 2025 12:00:04 GMT", s_now)).IsEqualTo(TimeSpan.Zero);
        await Assert.That(OtlpRetry.ParseRetryAfter("soon", s_now)).IsNull();
        await Assert.That(OtlpRetry.ParseRetryAfter(null, s_now)).IsNull();
    }
}
