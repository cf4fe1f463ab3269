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
        string? E(string name) => env(name) is { Length: > 0 } v ? v.Trim() : null;
        void Add(string key, string? value)
        {
            if (!string.IsNullOrEmpty(value)) list.Add(new(key, value));
        }
        if (E("GITHUB_ACTIONS") == "true")
        {
            string? server = E("GITHUB_SERVER_URL"), repo = E("GITHUB_REPOSITORY"), run = E("GITHUB_RUN_ID");
            Add("cicd.provider.name", "github_actions");
            Add("cicd.pipeline.name", E("GITHUB_WORKFLOW"));
            Add("cicd.pipeline.run.id", run);
            Add("cicd.pipeline.run.attempt", E("GITHUB_RUN_ATTEMPT"));
            Add("cicd.pipeline.run.url.full", server is not null && repo is not null && run is not null ? $"{server.TrimEnd('/')}/{repo}/actions/runs/{run}" : null);
            Add("cicd.pipeline.task.name", E("GITHUB_JOB"));
            Add("vcs.ref.head.name", E("GITHUB_HEAD_REF") ?? E("GITHUB_REF_NAME"));
            Add("vcs.ref.head.revision", E("GITHUB_SHA"));
        }
        else if (E("GITLAB_CI") == "true")
        {
            Add("cicd.provider.name", "gitlab_ci");
            Add("cicd.pipeline.name", E("CI_PROJECT_PATH"));
            Add("cicd.pipeline.run.id", E("CI_PIPELINE_ID"));
            Add("cicd.pipeline.run.url.full", E("CI_PIPELINE_URL"));
            Add("cicd.pipeline.task.name", E("CI_JOB_NAME"));
            Add("cicd.pipeline.task.run.id", E("CI_JOB_ID"));
            Add("cicd.pipeline.task.run.url.full", E("CI_JOB_URL"));
            Add("vcs.ref.head.name", E("CI_COMMIT_REF_NAME"));
            Add("vcs.ref.head.revision", E("CI_COMMIT_SHA"));
        }
        else if (E("BUILDKITE") == "true")
        {
            Add("cicd.provider.name", "buildkite");
            Add("cicd.pipeline.name", E("BUILDKITE_PIPELINE_SLUG"));
            Add("cicd.pipeline.run.id", E("BUILDKITE_BUILD_ID"));
            Add("cicd.pipeline.run.url.full", E("BUILDKITE_BUILD_URL"));
            Add("cicd.pipeline.task.name", E("BUILDKITE_LABEL"));
            Add("cicd.pipeline.task.run.id", E("BUILDKITE_JOB_ID"));
            Add("cicd.pipeline.task.run.url.full", E("BUILDKITE_BUILD_URL") is { } b && E("BUILDKITE_JOB_ID") is { } j ? b + "#" + j : null);
            Add("vcs.ref.head.name", E("BUILDKITE_BRANCH"));
            Add("vcs.ref.head.revision", E("BUILDKITE_COMMIT"));
        }
        else if (E("CIRCLECI") == "true")
        {
            Add("cicd.provider.name", "circleci");
            Add("cicd.pipeline.name", E("CIRCLE_PROJECT_REPONAME"));
            Add("cicd.pipeline.run.id", E("CIRCLE_WORKFLOW_ID"));
            Add("cicd.pipeline.task.name", E("CIRCLE_JOB"));
            Add("cicd.pipeline.task.run.id", E("CIRCLE_BUILD_NUM"));
            Add("cicd.pipeline.task.run.url.full", E("CIRCLE_BUILD_URL"));
            Add("vcs.ref.head.name", E("CIRCLE_BRANCH"));
            Add("vcs.ref.head.revision", E("CIRCLE_SHA1"));
        }
        else if (string.Equals(E("TF_BUILD"), "true", StringComparison.OrdinalIgnoreCase))
        {
            string? collection = E("SYSTEM_COLLECTIONURI"), project = E("SYSTEM_TEAMPROJECT"), build = E("BUILD_BUILDID");
            Add("cicd.provider.name", "azure_pipelines");
            Add("cicd.pipeline.name", E("BUILD_DEFINITIONNAME"));
            Add("cicd.pipeline.run.id", build);
            Add("cicd.pipeline.run.url.full", collection is not null && project is not null && build is not null
                ? $"{collection.TrimEnd('/')}/{Uri.EscapeDataString(project)}/_build/results?buildId={build}" : null);
            Add("cicd.pipeline.task.name", E("SYSTEM_JOBDISPLAYNAME") ?? E("AGENT_JOBNAME"));
            Add("cicd.pipeline.task.run.id", E("SYSTEM_JOBID"));
            Add("vcs.ref.head.name", E("BUILD_SOURCEBRANCHNAME"));
            Add("vcs.ref.head.revision", E("BUILD_SOURCEVERSION"));
        }
        else if (E("JENKINS_URL") is not null && E("BUILD_ID") is not null)
        {
            Add("cicd.provider.name", "jenkins");
            Add("cicd.pipeline.name", E("JOB_NAME"));
            Add("cicd.pipeline.run.id", E("BUILD_ID"));
            Add("cicd.pipeline.run.url.full", E("BUILD_URL"));
            Add("cicd.pipeline.task.name", E("STAGE_NAME"));
            Add("vcs.ref.head.name", E("BRANCH_NAME") ?? E("GIT_BRANCH"));
            Add("vcs.ref.head.revision", E("GIT_COMMIT"));
        }
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
