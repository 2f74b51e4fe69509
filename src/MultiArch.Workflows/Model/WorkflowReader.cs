using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace MultiArch.Workflows;

/// <summary>
/// Reads workflow YAML back into a <see cref="Workflow"/>: the subset of the syntax the generator writes, plus
/// the common short forms (<c>needs: build</c>, <c>on: push</c>). Anything else is one clear error.
/// </summary>
public static class WorkflowReader
{
    /// <summary>Reads a workflow file.</summary>
    public static Workflow ReadFile(string path) => Read(File.ReadAllText(path), path);

    /// <summary>Reads workflow text; <paramref name="source"/> names it in errors.</summary>
    public static Workflow Read(string yaml, string source = "workflow")
    {
        var stream = new YamlStream();
        try { stream.Load(new StringReader(yaml)); }
        catch (YamlException e) { throw new WorkflowDefinitionException($"{source}: not valid YAML at line {e.Start.Line}: {e.Message}"); }
        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode root)
            throw new WorkflowDefinitionException($"{source}: expected one YAML document holding a mapping.");
        var r = new Reader(source);
        var workflow = new Workflow { Name = r.Text(root, "name") ?? Path.GetFileNameWithoutExtension(source) };
        if (r.Node(root, "on") is { } on) ReadTriggers(r, on, workflow.On);
        if (r.Node(root, "permissions") is { } permissions) workflow.Permissions = ReadPermissions(r, permissions);
        if (r.Node(root, "concurrency") is { } concurrency) workflow.Concurrency = ReadConcurrency(r, concurrency);
        r.Fill(workflow.Env, r.Node(root, "env"));
        foreach (var (id, node) in r.Entries(r.Node(root, "jobs")))
            workflow.Jobs[id] = ReadJob(r, r.Mapping(node, $"jobs.{id}"));
        return workflow;
    }

    static void ReadTriggers(Reader r, YamlNode on, WorkflowTriggers triggers)
    {
        IEnumerable<(string, YamlNode?)> events = on switch
        {
            YamlScalarNode s => [(s.Value ?? "", null)],
            YamlSequenceNode seq => seq.Children.Select(c => (r.Scalar(c, "on"), (YamlNode?)null)),
            _ => r.Entries(on).Select(e => (e.Key, (YamlNode?)e.Value)),
        };
        foreach (var (name, node) in events)
        {
            var body = node as YamlMappingNode;
            switch (name)
            {
                case "workflow_dispatch":
                    triggers.WorkflowDispatch = new WorkflowDispatchTrigger();
                    foreach (var (inputName, inputNode) in r.Entries(body is null ? null : r.Node(body, "inputs")))
                    {
                        var map = r.Mapping(inputNode, $"inputs.{inputName}");
                        var input = new WorkflowInput
                        {
                            Description = r.Text(map, "description"),
                            Required = r.Text(map, "required") == "true",
                            Default = r.Text(map, "default"),
                            Type = r.Text(map, "type") ?? "string",
                        };
                        input.Options.AddRange(r.List(map, "options"));
                        triggers.WorkflowDispatch.Inputs[inputName] = input;
                    }
                    break;
                case "push":
                    triggers.Push = new PushTrigger();
                    if (body is not null)
                    {
                        triggers.Push.Branches.AddRange(r.List(body, "branches"));
                        triggers.Push.Tags.AddRange(r.List(body, "tags"));
                    }
                    break;
                case "pull_request":
                    triggers.PullRequest = new PullRequestTrigger();
                    if (body is not null) triggers.PullRequest.Branches.AddRange(r.List(body, "branches"));
                    break;
                case "schedule":
                    foreach (var entry in r.Sequence(node, "schedule"))
                        triggers.Schedule.Add(r.Text(r.Mapping(entry, "schedule"), "cron") ?? throw r.Error("schedule entry without cron"));
                    break;
                default:
                    throw r.Error($"trigger '{name}' is not supported by the local tools; use workflow_dispatch, push, pull_request or " +
                        "schedule");
            }
        }
    }

    static Permissions ReadPermissions(Reader r, YamlNode node)
    {
        var permissions = new Permissions();
        foreach (var (scope, level) in r.Entries(node)) permissions.Set(scope, r.Scalar(level, $"permissions.{scope}"));
        return permissions;
    }

    static Concurrency ReadConcurrency(Reader r, YamlNode node) => node is YamlScalarNode s
        ? new Concurrency(s.Value ?? "")
        : new Concurrency(r.Text(r.Mapping(node, "concurrency"), "group") ?? throw r.Error("concurrency without group"),
            r.Text(r.Mapping(node, "concurrency"), "cancel-in-progress") ?? "false");

    static Job ReadJob(Reader r, YamlMappingNode map)
    {
        var job = new Job
        {
            Name = r.Text(map, "name"),
            If = r.Text(map, "if"),
            RunsOn = r.Text(map, "runs-on") ?? throw r.Error("a job has no runs-on"),
            TimeoutMinutes = r.Text(map, "timeout-minutes") is { } t ? int.Parse(t, System.Globalization.CultureInfo.InvariantCulture)
                : null,
            ContinueOnError = r.Text(map, "continue-on-error") is { } c ? c == "true" : null,
        };
        if (r.Node(map, "needs") is YamlScalarNode single) job.Needs.Add(single.Value ?? "");
        else job.Needs.AddRange(r.List(map, "needs"));
        if (r.Node(map, "permissions") is { } permissions) job.Permissions = ReadPermissions(r, permissions);
        if (r.Node(map, "concurrency") is { } concurrency) job.Concurrency = ReadConcurrency(r, concurrency);
        if (r.Node(map, "strategy") is { } strategyNode)
        {
            var strategy = r.Mapping(strategyNode, "strategy");
            job.Strategy = new JobStrategy
            {
                FailFast = r.Text(strategy, "fail-fast") != "false",
                MaxParallel = r.Text(strategy, "max-parallel") is { } m ? int.Parse(m, System.Globalization.CultureInfo.InvariantCulture)
                    : null,
            };
            foreach (var (axis, values) in r.Entries(r.Node(strategy, "matrix")))
            {
                if (axis == "include")
                    foreach (var leg in r.Sequence(values, "include"))
                    {
                        var entry = new OrderedDictionary<string, string>(StringComparer.Ordinal);
                        r.Fill(entry, leg);
                        job.Strategy.Include.Add(entry);
                    }
                else if (axis == "exclude")
                    throw r.Error("matrix exclude is not supported by the local runner; list the legs with include");
                else job.Strategy.Axes[axis] = r.Sequence(values, axis).Select(v => r.Scalar(v, axis)).ToList();
            }
        }
        r.Fill(job.Outputs, r.Node(map, "outputs"));
        r.Fill(job.Env, r.Node(map, "env"));
        foreach (var (id, node) in r.Entries(r.Node(map, "services")))
        {
            var service = r.Mapping(node, $"services.{id}");
            var container = new ServiceContainer { Image = r.Text(service, "image") ?? throw r.Error($"service '{id}' has no image") };
            container.Ports.AddRange(r.List(service, "ports"));
            job.Services[id] = container;
        }
        foreach (var stepNode in r.Sequence(r.Node(map, "steps"), "steps"))
        {
            var s = r.Mapping(stepNode, "steps");
            var step = new Step
            {
                Name = r.Text(s, "name"),
                Id = r.Text(s, "id"),
                If = r.Text(s, "if"),
                Uses = r.Text(s, "uses") is { } uses ? ActionReference.Parse(uses) : null,
                WorkingDirectory = r.Text(s, "working-directory"),
                Run = r.Text(s, "run"),
            };
            r.Fill(step.With, r.Node(s, "with"));
            r.Fill(step.Env, r.Node(s, "env"));
            job.Steps.Add(step);
        }
        return job;
    }

    sealed class Reader(string source)
    {
        public WorkflowDefinitionException Error(string message) => new($"{source}: {message}.");

        public YamlNode? Node(YamlMappingNode map, string key) =>
            map.Children.TryGetValue(new YamlScalarNode(key), out var node) ? node : null;

        public string? Text(YamlMappingNode map, string key) => Node(map, key) is { } node ? Scalar(node, key) : null;

        public string Scalar(YamlNode node, string what) =>
            node is YamlScalarNode s ? s.Value ?? "" : throw Error($"'{what}' must be a single value");

        public YamlMappingNode Mapping(YamlNode node, string what) =>
            node as YamlMappingNode ?? throw Error($"'{what}' must be a mapping");

        public IEnumerable<YamlNode> Sequence(YamlNode? node, string what) => node switch
        {
            null => [],
            YamlSequenceNode seq => seq.Children,
            _ => throw Error($"'{what}' must be a list"),
        };

        public IEnumerable<string> List(YamlMappingNode map, string key) =>
            Sequence(Node(map, key), key).Select(n => Scalar(n, key));

        public IEnumerable<KeyValuePair<string, YamlNode>> Entries(YamlNode? node) => node switch
        {
            null => [],
            YamlMappingNode m => m.Children.Select(c => KeyValuePair.Create(Scalar(c.Key, "key"), c.Value)),
            _ => throw Error("expected a mapping"),
        };

        public void Fill(OrderedDictionary<string, string> target, YamlNode? node)
        {
            foreach (var (key, value) in Entries(node)) target[key] = Scalar(value, key);
        }
    }
}
