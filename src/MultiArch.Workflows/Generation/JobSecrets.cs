using System.Reflection;
using MultiArch.Build;
using ParameterInfo = MultiArch.Build.ParameterInfo;

namespace MultiArch.Workflows;

/// <summary>
/// Which secrets a job's build step gets: the <c>[Secret]</c> parameters of the targets that job runs, as NUKE's
/// ImportSecrets does, so a token reaches only the job that reads it. A target's secrets are the <c>[Secret]</c>
/// members of the component that declares it (the interface or class with the target property, and for a target
/// re-implemented by a build class, the interface it came from), or exactly those listed in
/// <see cref="WorkflowAnnotations.Secrets"/>. A parameter's secret is the one named by <c>.Secret(parameter, name)</c>,
/// else the one named like its environment variable without the <c>MULTIARCH_</c> prefix (<c>RegistryPassword</c>:
/// <c>secrets.REGISTRY_PASSWORD</c>; <c>GithubToken</c>, read from GITHUB_TOKEN: <c>secrets.GITHUB_TOKEN</c>).
/// </summary>
public static class JobSecrets
{
    const BindingFlags Declared =
        BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;

    /// <summary>The parameters a job running <paramref name="targets"/> is given, each with its secret's name.</summary>
    public static IReadOnlyList<(ParameterInfo Parameter, string Secret)> For(WorkflowDefinition definition, TargetGraph graph,
        IEnumerable<ExecutableTarget> targets)
    {
        var named = Named(definition, graph);
        var read = targets.SelectMany(t => Of(definition, graph, t)).Distinct().ToList();
        // Repository secrets keep the names users already give them; the prefix is for the build's own environment.
        return read.Select(p => (p, named.TryGetValue(p, out var secret) ? secret
            : p.EnvironmentVariable.StartsWith(ParameterInfo.EnvironmentPrefix, StringComparison.Ordinal)
                ? p.EnvironmentVariable[ParameterInfo.EnvironmentPrefix.Length..]
            : p.EnvironmentVariable)).ToList();
    }

    /// <summary>The <c>[Secret]</c> parameters <paramref name="target"/> reads.</summary>
    public static IReadOnlyList<ParameterInfo> Of(WorkflowDefinition definition, TargetGraph graph, ExecutableTarget target)
    {
        if (target.Annotations.TryGetValue(WorkflowAnnotations.Secrets, out var listed))
            return listed.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(name => Secret(definition, JobGraphBuilder.FindParameter(definition, graph, name,
                    $"target {target.Name}'s secret"), name))
                .ToList();
        var names = Components(target).SelectMany(SecretMemberNames).ToHashSet(StringComparer.Ordinal);
        return graph.Parameters.Where(p => p.IsSecret && names.Contains(p.Name)).ToList();
    }

    // .Secret(parameter, name) renames the source; it must name a secret parameter some target of the workflow reads.
    static Dictionary<ParameterInfo, string> Named(WorkflowDefinition definition, TargetGraph graph)
    {
        var named = new Dictionary<ParameterInfo, string>();
        foreach (var (parameter, secret) in definition.Secrets)
        {
            var info = Secret(definition, JobGraphBuilder.FindParameter(definition, graph, parameter, "secret"), secret);
            var readers = graph.Plan(definition.Targets).Where(t => Of(definition, graph, t).Contains(info)).ToList();
            if (readers.Count == 0)
                throw new WorkflowDefinitionException($"Workflow '{definition.FileName}' sets parameter '{info.Name}' from secret "
                    + $"{secret}, but no target it runs reads it; annotate the target that does with "
                    + $".Annotate(WorkflowAnnotations.Secrets, \"{info.Name}\").");
            named[info] = secret;
        }
        return named;
    }

    static ParameterInfo Secret(WorkflowDefinition definition, ParameterInfo info, string source) => info.IsSecret ? info
        : throw new WorkflowDefinitionException($"Workflow '{definition.FileName}' sets parameter '{info.Name}' from secret {source}, "
            + $"but the parameter is not marked [Secret]; mark it so the build masks it.");

    // The declaring type (with its base classes) and any interface that declares a target of the same name.
    static IEnumerable<Type> Components(ExecutableTarget target)
    {
        for (var type = target.DeclaringType; type is not null && type != typeof(object); type = type.BaseType)
        {
            yield return type;
            if (type.IsInterface) yield break;
        }
        foreach (var component in target.DeclaringType.GetInterfaces())
            if (component.GetProperty(target.Name, Declared) is { } property && property.PropertyType == typeof(Target))
                yield return component;
    }

    static IEnumerable<string> SecretMemberNames(Type type) => type.GetMembers(Declared)
        .Where(m => m is FieldInfo or PropertyInfo && m.GetCustomAttribute<SecretAttribute>() is not null)
        .Select(m => m.GetCustomAttribute<ParameterAttribute>()?.Name ?? m.Name);
}
