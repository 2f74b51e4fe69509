namespace MultiArch.Build;

/// <summary>
/// Marks a field or property as a build parameter. Values come from the command line (<c>--kebab-case</c>), the
/// environment (exactly <c>MULTIARCH_</c> + SCREAMING_SNAKE_CASE, or the name given as <see cref="Environment"/>),
/// <c>.nuke/parameters.json</c>, then the default.
/// On an interface, declare a property whose getter calls <c>TryGetValue(() =&gt; Name) ?? default</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
public class ParameterAttribute(string? description = null) : Attribute
{
    /// <summary>One line shown by <c>--help</c>.</summary>
    public string? Description { get; } = description;

    /// <summary>The public name (CLI, environment, parameters.json) when it must differ from the member's, e.g. a
    /// component property <c>ImageName</c> offered as <c>--image</c> because <c>Image</c> is taken by a definition.</summary>
    public string? Name { get; init; }

    /// <summary>The exact environment variable to read instead of the prefixed default, for a well-known variable
    /// such as <c>GITHUB_TOKEN</c> that CI already sets under that name.</summary>
    public string? Environment { get; init; }
    /// <summary>Only the command line may set it (engine switches such as --help: an environment variable must not).</summary>
    public bool CommandLineOnly { get; init; }
}

/// <summary>A parameter whose value is masked in every output and registered with GitHub Actions' <c>::add-mask::</c>.</summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
public sealed class SecretAttribute : Attribute;
