namespace MultiArch.Testing;

/// <summary>External things a test may need. Combine with <c>|</c>.</summary>
[Flags]
public enum Service
{
    /// <summary>Debian's <c>/usr/bin/docker-registry</c> (distribution 2.8).</summary>
    Registry = 1,

    /// <summary>The <c>skopeo</c> CLI, used as an independent verifier.</summary>
    Skopeo = 2,

    /// <summary>A running Docker daemon reachable on <c>/var/run/docker.sock</c> (or DOCKER_HOST).</summary>
    Docker = 4,

    /// <summary>qemu-user-static registered with binfmt_misc for arm64 and arm.</summary>
    Qemu = 8,

    /// <summary>Node.js on PATH.</summary>
    Node = 16,

    /// <summary>Apache's <c>htpasswd</c> (to create Basic-auth users).</summary>
    Htpasswd = 32,

    /// <summary>Root on Debian or Ubuntu: tests that install or change the machine as provisioning does.</summary>
    RootOnDebian = 64,

    /// <summary>GitHub's <c>@actions/workflow-parser</c> installed in <c>.ci/workflow-parser/node_modules</c>.</summary>
    WorkflowParser = 128,
}
