using AgentStrace.Errors;

namespace AgentStrace.Analysis.Reports;

/// <summary>What <c>cost --by</c> groups requests by.</summary>
public enum CostBy { Session, Day, Week, Month, Model, Agent, Project }

public static class CostByParser
{
    public static string Name(CostBy by) => by.ToString().ToLowerInvariant();

    /// <summary><c>local</c> (default), <c>UTC</c>, or an IANA/Windows time zone id.</summary>
    public static TimeZoneInfo TimeZone(string? tz)
    {
        if (string.IsNullOrWhiteSpace(tz) || tz.Equals("local", StringComparison.OrdinalIgnoreCase)) return TimeZoneInfo.Local;
        if (tz.Equals("UTC", StringComparison.OrdinalIgnoreCase) || tz == "Z") return TimeZoneInfo.Utc;
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(tz);
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw new AgentStraceException($"Unknown --tz '{tz}': use local, UTC or a zone name such as Europe/Berlin.");
        }
    }
}
