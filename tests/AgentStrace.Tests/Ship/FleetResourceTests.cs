using AgentStrace.Capture.Hooks;

namespace AgentStrace.Tests.Ship;

/// <summary>Each CI provider's documented variables produce the attributes listed in docs/fleet.md.</summary>
public sealed class FleetResourceTests
{
    private static Dictionary<string, string> Ci(Dictionary<string, string> env)
    {
        var list = new List<KeyValuePair<string, string>>();
        FleetResource.Ci(name => env.GetValueOrDefault(name), list);
        return list.ToDictionary(kv => kv.Key, kv => kv.Value);
    }

    [Test]
    public async Task GitHubActions()
    {
        var a = Ci(new()
        {
            ["GITHUB_ACTIONS"] = "true", ["GITHUB_WORKFLOW"] = "ci", ["GITHUB_RUN_ID"] = "123", ["GITHUB_RUN_ATTEMPT"] = "2", ["GITHUB_JOB"] = "test",
            ["GITHUB_SERVER_URL"] = "https://github.com", ["GITHUB_REPOSITORY"] = "o/r", ["GITHUB_REF_NAME"] = "main", ["GITHUB_SHA"] = "abc123",
        });
        await Assert.That(a["cicd.provider.name"]).IsEqualTo("github_actions");
        await Assert.That(a["cicd.pipeline.name"]).IsEqualTo("ci");
        await Assert.That(a["cicd.pipeline.run.id"]).IsEqualTo("123");
        await Assert.That(a["cicd.pipeline.run.attempt"]).IsEqualTo("2");
        await Assert.That(a["cicd.pipeline.run.url.full"]).IsEqualTo("https://github.com/o/r/actions/runs/123");
        await Assert.That(a["cicd.pipeline.task.name"]).IsEqualTo("test");
        await Assert.That(a["vcs.ref.head.name"]).IsEqualTo("main");
        await Assert.That(a["vcs.ref.head.revision"]).IsEqualTo("abc123");
    }

    [Test]
    public async Task GitLabCi()
    {
        var a = Ci(new()
        {
            ["GITLAB_CI"] = "true", ["CI_PROJECT_PATH"] = "g/p", ["CI_PIPELINE_ID"] = "77", ["CI_PIPELINE_URL"] = "https://gitlab.com/g/p/-/pipelines/77",
            ["CI_JOB_NAME"] = "agent", ["CI_JOB_ID"] = "991", ["CI_JOB_URL"] = "https://gitlab.com/g/p/-/jobs/991", ["CI_COMMIT_REF_NAME"] = "dev", ["CI_COMMIT_SHA"] = "def",
        });
        await Assert.That(a["cicd.provider.name"]).IsEqualTo("gitlab_ci");
        await Assert.That(a["cicd.pipeline.name"]).IsEqualTo("g/p");
        await Assert.That(a["cicd.pipeline.run.id"]).IsEqualTo("77");
        await Assert.That(a["cicd.pipeline.run.url.full"]).IsEqualTo("https://gitlab.com/g/p/-/pipelines/77");
        await Assert.That(a["cicd.pipeline.task.name"]).IsEqualTo("agent");
        await Assert.That(a["cicd.pipeline.task.run.id"]).IsEqualTo("991");
        await Assert.That(a["cicd.pipeline.task.run.url.full"]).IsEqualTo("https://gitlab.com/g/p/-/jobs/991");
        await Assert.That(a["vcs.ref.head.name"]).IsEqualTo("dev");
        await Assert.That(a["vcs.ref.head.revision"]).IsEqualTo("def");
    }

    [Test]
    public async Task Buildkite()
    {
        var a = Ci(new()
        {
            ["BUILDKITE"] = "true", ["BUILDKITE_PIPELINE_SLUG"] = "app", ["BUILDKITE_BUILD_ID"] = "b-1", ["BUILDKITE_BUILD_URL"] = "https://buildkite.com/o/app/builds/5",
            ["BUILDKITE_LABEL"] = ":robot: agent", ["BUILDKITE_JOB_ID"] = "j-9", ["BUILDKITE_BRANCH"] = "main", ["BUILDKITE_COMMIT"] = "c0",
        });
        await Assert.That(a["cicd.provider.name"]).IsEqualTo("buildkite");
        await Assert.That(a["cicd.pipeline.name"]).IsEqualTo("app");
        await Assert.That(a["cicd.pipeline.run.id"]).IsEqualTo("b-1");
        await Assert.That(a["cicd.pipeline.run.url.full"]).IsEqualTo("https://buildkite.com/o/app/builds/5");
        await Assert.That(a["cicd.pipeline.task.name"]).IsEqualTo(":robot: agent");
        await Assert.That(a["cicd.pipeline.task.run.id"]).IsEqualTo("j-9");
        await Assert.That(a["cicd.pipeline.task.run.url.full"]).IsEqualTo("https://buildkite.com/o/app/builds/5#j-9");
        await Assert.That(a["vcs.ref.head.revision"]).IsEqualTo("c0");
    }

    [Test]
    public async Task CircleCi()
    {
        var a = Ci(new()
        {
            ["CIRCLECI"] = "true", ["CIRCLE_PROJECT_REPONAME"] = "app", ["CIRCLE_WORKFLOW_ID"] = "wf-1", ["CIRCLE_JOB"] = "agent",
            ["CIRCLE_BUILD_NUM"] = "44", ["CIRCLE_BUILD_URL"] = "https://circleci.com/gh/o/app/44", ["CIRCLE_BRANCH"] = "feat", ["CIRCLE_SHA1"] = "e1",
        });
        await Assert.That(a["cicd.provider.name"]).IsEqualTo("circleci");
        await Assert.That(a["cicd.pipeline.name"]).IsEqualTo("app");
        await Assert.That(a["cicd.pipeline.run.id"]).IsEqualTo("wf-1");
        await Assert.That(a["cicd.pipeline.task.name"]).IsEqualTo("agent");
        await Assert.That(a["cicd.pipeline.task.run.id"]).IsEqualTo("44");
        await Assert.That(a["cicd.pipeline.task.run.url.full"]).IsEqualTo("https://circleci.com/gh/o/app/44");
        await Assert.That(a["vcs.ref.head.name"]).IsEqualTo("feat");
    }

    [Test]
    public async Task AzurePipelines()
    {
        var a = Ci(new()
        {
            ["TF_BUILD"] = "True", ["BUILD_DEFINITIONNAME"] = "nightly", ["BUILD_BUILDID"] = "314", ["SYSTEM_COLLECTIONURI"] = "https://dev.azure.com/org/",
            ["SYSTEM_TEAMPROJECT"] = "My Project", ["SYSTEM_JOBDISPLAYNAME"] = "Agent job", ["SYSTEM_JOBID"] = "guid-1", ["BUILD_SOURCEBRANCHNAME"] = "main", ["BUILD_SOURCEVERSION"] = "f00",
        });
        await Assert.That(a["cicd.provider.name"]).IsEqualTo("azure_pipelines");
        await Assert.That(a["cicd.pipeline.name"]).IsEqualTo("nightly");
        await Assert.That(a["cicd.pipeline.run.id"]).IsEqualTo("314");
        await Assert.That(a["cicd.pipeline.run.url.full"]).IsEqualTo("https://dev.azure.com/org/My%20Project/_build/results?buildId=314");
        await Assert.That(a["cicd.pipeline.task.name"]).IsEqualTo("Agent job");
        await Assert.That(a["cicd.pipeline.task.run.id"]).IsEqualTo("guid-1");
        await Assert.That(a["vcs.ref.head.revision"]).IsEqualTo("f00");
    }

    [Test]
    public async Task Jenkins()
    {
        var a = Ci(new()
        {
            ["JENKINS_URL"] = "https://ci.example/", ["JOB_NAME"] = "agents/main", ["BUILD_ID"] = "88", ["BUILD_URL"] = "https://ci.example/job/agents/88/",
            ["STAGE_NAME"] = "Review", ["BRANCH_NAME"] = "main", ["GIT_COMMIT"] = "aa11",
        });
        await Assert.That(a["cicd.provider.name"]).IsEqualTo("jenkins");
        await Assert.That(a["cicd.pipeline.name"]).IsEqualTo("agents/main");
        await Assert.That(a["cicd.pipeline.run.id"]).IsEqualTo("88");
        await Assert.That(a["cicd.pipeline.run.url.full"]).IsEqualTo("https://ci.example/job/agents/88/");
        await Assert.That(a["cicd.pipeline.task.name"]).IsEqualTo("Review");
        await Assert.That(a["vcs.ref.head.name"]).IsEqualTo("main");
        await Assert.That(a["vcs.ref.head.revision"]).IsEqualTo("aa11");
    }

    [Test]
    public async Task NoCi_NoCiAttributes_UserHashedWhenAnonymized()
    {
        await Assert.That(Ci(new() { ["HOME"] = "/home/x" })).IsEmpty();
        var plain = FleetResource.Collect(_ => null, "dana", anonymize: false).ToDictionary(kv => kv.Key, kv => kv.Value);
        await Assert.That(plain["user.name"]).IsEqualTo("dana");
        var hidden = FleetResource.Collect(_ => null, "dana", anonymize: true).ToDictionary(kv => kv.Key, kv => kv.Value);
        await Assert.That(hidden.ContainsKey("user.name")).IsFalse();
        await Assert.That(hidden["user.hash"]).IsEqualTo(FleetResource.Hash("dana"));
        await Assert.That(hidden["user.hash"].Length).IsEqualTo(32);
    }

    [Test]
    [Arguments("https://user:ghp_token@github.com/o/r.git", "https://github.com/o/r.git")]
    [Arguments("https://github.com/o/r", "https://github.com/o/r")]
    [Arguments("git@github.com:o/r.git", "git@github.com:o/r.git")]
    [Arguments("token123@github.com:o/r.git", "github.com:o/r.git")]
    public async Task RepositoryUrl_CredentialsRemoved(string url, string expected) =>
        await Assert.That(FleetResource.WithoutCredentials(url)).IsEqualTo(expected);
}
