using System.Security.Cryptography;
using System.Text;

namespace AgentStrace.Capture.Hooks;

/// <summary>
/// Resource attributes that let a team slice its fleet, read where the session runs (the hook's environment): who
/// (<c>user.name</c>, or <c>user.hash</c> when anonymised), which machine (<c>host.name</c>) and which CI job, from the
/// variables each CI system documents. The repository, branch, commit and agent come from the session's
/// <c>meta.json</c> attribution when shipping. The table of attributes per provider is in docs/fleet.md.
/// </summary>
public static class FleetResource
{
    public static List<KeyValuePair<string, string>> Collect(Func<string, string?> env, string configuredUser, bool anonymize)
    {
        var list = new List<KeyValuePair<string, string>>();
        string user = configuredUser.Length > 0 ? configuredUser : SafeUserName();
        if (user.Length > 0)
        {
            if (anonymize) list.Add(new("user.hash", Hash(user)));
            else list.Add(new("user.name", user));
        }
        list.Add(new("host.name", Environment.MachineName));
        Ci(env, list);
        return list;
    }

    /// <summary>A stable pseudonym: the first 16 bytes of SHA-256 of the name, hex (the same user on every machine).</summary>
    public static string Hash(string user) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(user)).AsSpan(0, 16));

    private static string SafeUserName()
    {
        try { return Environment.UserName; }
        catch (Exception ex) when (ex is InvalidOperationException or PlatformNotSupportedException) { return ""; }
    }

    /// <summary>The CI provider's attributes (nothing outside CI). Values are copied as given; absent ones are skipped.</summary>
    public static void Ci(Func<string, string?> env, List<KeyValuePair<string, string>> list)
    {
        if (Detect(env) is not { } r) return;
        void Add(string key, string? value)
        {
            if (!string.IsNullOrEmpty(value)) list.Add(new(key, value));
        }
        Add("cicd.provider.name", r.Provider);
        Add("cicd.pipeline.name", r.Pipeline);
        Add("cicd.pipeline.run.id", r.RunId);
        Add("cicd.pipeline.run.attempt", r.RunAttempt);
        Add("cicd.pipeline.run.url.full", r.RunUrl);
        Add("cicd.pipeline.task.name", r.Task);
        Add("cicd.pipeline.task.run.id", r.TaskRunId);
        Add("cicd.pipeline.task.run.url.full", r.TaskRunUrl);
        Add("vcs.ref.head.name", r.Branch);
        Add("vcs.ref.head.revision", r.Revision);
    }

    /// <summary>One CI run as the attributes above hold it; a provider leaves out what it does not document.</summary>
    private sealed record CiRun(string Provider, string? Pipeline, string? RunId, string? RunUrl, string? Task, string? TaskRunId,
        string? TaskRunUrl, string? Branch, string? Revision, string? RunAttempt = null);

    private static CiRun? Detect(Func<string, string?> env)
    {
        string? E(string name) => env(name) is { Length: > 0 } v ? v.Trim() : null;
        if (E("GITHUB_ACTIONS") == "true")
        {
            string? server = E("GITHUB_SERVER_URL"), repo = E("GITHUB_REPOSITORY"), run = E("GITHUB_RUN_ID");
            return new("github_actions", E("GITHUB_WORKFLOW"), run,
                server is not null && repo is not null && run is not null ? $"{server.TrimEnd('/')}/{repo}/actions/runs/{run}" : null,
                E("GITHUB_JOB"), null, null, E("GITHUB_HEAD_REF") ?? E("GITHUB_REF_NAME"), E("GITHUB_SHA"), E("GITHUB_RUN_ATTEMPT"));
        }
        if (E("GITLAB_CI") == "true")
        {
            return new("gitlab_ci", E("CI_PROJECT_PATH"), E("CI_PIPELINE_ID"), E("CI_PIPELINE_URL"), E("CI_JOB_NAME"), E("CI_JOB_ID"),
                E("CI_JOB_URL"), E("CI_COMMIT_REF_NAME"), E("CI_COMMIT_SHA"));
        }
        if (E("BUILDKITE") == "true")
        {
            return new("buildkite", E("BUILDKITE_PIPELINE_SLUG"), E("BUILDKITE_BUILD_ID"), E("BUILDKITE_BUILD_URL"), E("BUILDKITE_LABEL"),
                E("BUILDKITE_JOB_ID"), E("BUILDKITE_BUILD_URL") is { } b && E("BUILDKITE_JOB_ID") is { } j ? b + "#" + j : null,
                E("BUILDKITE_BRANCH"), E("BUILDKITE_COMMIT"));
        }
        if (E("CIRCLECI") == "true")
        {
            return new("circleci", E("CIRCLE_PROJECT_REPONAME"), E("CIRCLE_WORKFLOW_ID"), null, E("CIRCLE_JOB"), E("CIRCLE_BUILD_NUM"),
                E("CIRCLE_BUILD_URL"), E("CIRCLE_BRANCH"), E("CIRCLE_SHA1"));
        }
        if (string.Equals(E("TF_BUILD"), "true", StringComparison.OrdinalIgnoreCase))
        {
            string? collection = E("SYSTEM_COLLECTIONURI"), project = E("SYSTEM_TEAMPROJECT"), build = E("BUILD_BUILDID");
            return new("azure_pipelines", E("BUILD_DEFINITIONNAME"), build,
                collection is not null && project is not null && build is not null
                    ? $"{collection.TrimEnd('/')}/{Uri.EscapeDataString(project)}/_build/results?buildId={build}" : null,
                E("SYSTEM_JOBDISPLAYNAME") ?? E("AGENT_JOBNAME"), E("SYSTEM_JOBID"), null, E("BUILD_SOURCEBRANCHNAME"), E("BUILD_SOURCEVERSION"));
        }
        if (E("JENKINS_URL") is not null && E("BUILD_ID") is not null)
        {
            return new("jenkins", E("JOB_NAME"), E("BUILD_ID"), E("BUILD_URL"), E("STAGE_NAME"), null, null,
                E("BRANCH_NAME") ?? E("GIT_BRANCH"), E("GIT_COMMIT"));
        }
        return null;
    }

    /// <summary>A repository URL without credentials: <c>https://user:token@host/x</c> → <c>https://host/x</c>.</summary>
    public static string WithoutCredentials(string url)
    {
        if (url.Length == 0) return url;
        if (Uri.TryCreate(url, UriKind.Absolute, out Uri? u) && u.UserInfo.Length > 0 && u.Scheme is "http" or "https" or "ssh" or "git")
        {
            return new UriBuilder(u) { UserName = "", Password = "" }.Uri.ToString().TrimEnd('/');
        }
        // scp-like "user@host:path": the user part of git@host is no secret, but a token in it would be.
        int at = url.IndexOf('@');
        return at > 0 && !url.Contains("://", StringComparison.Ordinal) && url.IndexOf(':') > at && url[..at] != "git" ? url[(at + 1)..] : url;
    }
}
