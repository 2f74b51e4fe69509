using System.Text;

namespace MultiArch.Oci.Tests;

[Trait("Category", "Unit")]
public sealed class ManifestTests
{
    private static readonly Digest A = Digest.Parse("sha256:" + new string('a', 64));

    [Fact]
    public void An_index_written_twice_has_the_same_bytes_and_annotations_sorted()
    {
        var index = new ImageIndex(MediaTypes.OciIndex, [new Descriptor(MediaTypes.OciManifest, A, 10) { Platform = Platform.LinuxArmV7 }])
        {
            Annotations = new Dictionary<string, string> { [Annotations.Version] = "1.0", [Annotations.Description] = "d" },
        };
        var json = Encoding.UTF8.GetString(index.ToJson());
        json.Should().Be(Encoding.UTF8.GetString(index.ToJson()));
        json.Should().Be(
            $$$"""{"schemaVersion":2,"mediaType":"{{{MediaTypes.OciIndex}}}","manifests":[""" +
            $$$"""{"mediaType":"{{{MediaTypes.OciManifest}}}","digest":"{{{A}}}","size":10""" +
            ""","platform":{"architecture":"arm","os":"linux","variant":"v7"}}""" +
            """],"annotations":{"org.opencontainers.image.description":"d","org.opencontainers.image.version":"1.0"}}""");
    }

    [Fact]
    public void Attestation_manifests_are_recognised_by_platform_or_annotation()
    {
        var json = $$$"""
            {"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[
              {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"{{{A}}}","size":1,
               "platform":{"architecture":"amd64","os":"linux"}},
              {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"{{{A}}}","size":1,
               "platform":{"architecture":"unknown","os":"unknown"}},
              {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"{{{A}}}","size":1,
               "annotations":{"vnd.docker.reference.type":"attestation-manifest"}}]}
            """;
        var index = ImageIndex.Parse(Encoding.UTF8.GetBytes(json));
        index.Manifests.Select(m => m.IsAttestation).Should().Equal(false, true, true);
    }

    [Fact]
    public void A_manifest_keeps_its_subject_and_its_media_type_is_detected_when_omitted()
    {
        var json =
            $$$"""{"schemaVersion":2,"config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{{{A}}}","size":2}""" +
            $$$""","layers":[],"subject":{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"{{{A}}}","size":3}}""";
        var bytes = Encoding.UTF8.GetBytes(json);
        var document = ManifestDocument.FromBytes(bytes);
        document.MediaType.Should().Be(MediaTypes.OciManifest);
        document.Digest.Should().Be(Digest.Compute(bytes));
        document.AsImage().Subject!.Size.Should().Be(3);
    }

    [Fact]
    public void Config_blobs_tell_the_platform()
    {
        var config = Encoding.UTF8.GetBytes("""{"architecture":"arm","os":"linux","variant":"v7","rootfs":{}}""");
        ImageConfig.ReadPlatform(config).Should().Be(Platform.LinuxArmV7);
        ImageConfig.ReadPlatform(ImageConfig.Create(Platform.LinuxArm64, [])).Should().Be(Platform.LinuxArm64);
    }
}
