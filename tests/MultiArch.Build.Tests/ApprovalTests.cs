using MultiArch.Testing;
using Xunit.Sdk;

namespace MultiArch.Build.Tests;

// The approval helper every text-output test uses: a difference fails naming the line and leaves the received file.
[Trait("Category", "Unit")]
public sealed class ApprovalTests : IDisposable
{
    readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("multiarch-approval-");
    string Approved => Path.Combine(_dir.FullName, "out.txt");

    public void Dispose() => _dir.Delete(recursive: true);

    [SkippableFact]
    public void Equal_text_passes_whatever_the_line_endings_and_leaves_no_received_file()
    {
        Skip.If(Approval.Accepting, "UPDATE_GOLDEN=1 accepts instead of comparing");
        File.WriteAllText(Approved, "a\r\nb\n");

        Approval.VerifyFile("a\nb\r\n", Approved);

        File.Exists(Approved + ".received").Should().BeFalse();
    }

    [SkippableFact]
    public void A_difference_fails_naming_the_first_differing_line_and_keeps_what_was_received()
    {
        Skip.If(Approval.Accepting, "UPDATE_GOLDEN=1 accepts instead of comparing");
        File.WriteAllText(Approved, "same\nold\n");

        var verify = () => Approval.VerifyFile("same\nnew\n", Approved);

        verify.Should().Throw<XunitException>().WithMessage("out.txt differs: line 2 is `new`, approved `old`*UPDATE_GOLDEN=1.");
        File.ReadAllText(Approved + ".received").Should().Be("same\nnew\n");
        File.ReadAllText(Approved).Should().Be("same\nold\n", "nothing is accepted without UPDATE_GOLDEN=1");
    }

    [SkippableFact]
    public void A_missing_approved_file_fails_saying_how_to_accept_it()
    {
        Skip.If(Approval.Accepting, "UPDATE_GOLDEN=1 accepts instead of comparing");

        var verify = () => Approval.VerifyFile("first\n", Approved);

        verify.Should().Throw<XunitException>()
            .WithMessage("*out.txt does not exist; review *out.txt.received and accept it with UPDATE_GOLDEN=1.");
    }
}
