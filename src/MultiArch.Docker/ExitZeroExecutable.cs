using System.Buffers.Binary;
using MultiArch.Oci;

namespace MultiArch.Docker;

/// <summary>
/// The smallest static Linux executable for a platform: one loadable segment holding three instructions that call
/// <c>exit(0)</c>. It is what <see cref="PlatformProbe"/> runs to ask an engine whether it can execute a platform's
/// binaries; it needs no download, no libc and no toolchain, so every architecture MultiArch builds has one.
/// </summary>
public static class ExitZeroExecutable
{
    // Page-size agnostic: a base at 4 MiB with file offset 0 is congruent for 4 KiB, 16 KiB and 64 KiB pages
    // (ppc64le and some arm64 kernels use 64 KiB).
    const ulong Base = 0x400000;

    sealed record Target(bool Is64Bit, bool BigEndian, ushort Machine, uint Flags, uint[] Words, byte[]? Bytes = null);

    /// <summary>The ELF bytes for <paramref name="platform"/>'s architecture (any variant of it).</summary>
    /// <exception cref="ArgumentException">The platform is not Linux, or MultiArch has no code for its architecture.</exception>
    public static byte[] For(Platform platform)
    {
        if (platform.Os != "linux") throw new ArgumentException($"{platform} is not a Linux platform.", nameof(platform));
        var target = platform.Architecture switch
        {
            // mov eax, 60 ; xor edi, edi ; syscall
            "amd64" => new Target(true, false, 62, 0, [], [0xB8, 0x3C, 0, 0, 0, 0x31, 0xFF, 0x0F, 0x05]),
            // mov eax, 1 ; xor ebx, ebx ; int 0x80
            "386" => new Target(false, false, 3, 0, [], [0xB8, 0x01, 0, 0, 0, 0x31, 0xDB, 0xCD, 0x80]),
            // mov r0, #0 ; mov r7, #1 ; svc #0 (EABI: the number in r7; flags EF_ARM_EABI_VER5)
            "arm" => new Target(false, false, 40, 0x05000000, [0xE3A00000, 0xE3A07001, 0xEF000000]),
            // mov x0, #0 ; mov x8, #93 ; svc #0
            "arm64" => new Target(true, false, 183, 0, [0xD2800000, 0xD2800BA8, 0xD4000001]),
            // li r0, 1 ; li r3, 0 ; sc (flags 2: ELFv2 ABI, so the entry is code, not a function descriptor)
            "ppc64le" => new Target(true, false, 21, 2, [0x38000001, 0x38600000, 0x44000002]),
            // lghi %r2, 0 ; svc 1
            "s390x" => new Target(true, true, 22, 0, [], [0xA7, 0x29, 0x00, 0x00, 0x0A, 0x01]),
            // li a0, 0 ; li a7, 93 ; ecall
            "riscv64" => new Target(true, false, 243, 0, [0x00000513, 0x05D00893, 0x00000073]),
            // li a0, 0 ; li v0, 5058 (n64 exit) ; syscall (flags: MIPS64r2, noreorder)
            "mips64le" => new Target(true, false, 8, 0x80000001, [0x24040000, 0x240213C2, 0x0000000C]),
            // addi.w a0, zero, 0 ; addi.w a7, zero, 93 ; syscall 0 (flags: LP64D, object ABI v1)
            "loong64" => new Target(true, false, 258, 0x43, [0x02800004, 0x0281740B, 0x002B0000]),
            _ => throw new ArgumentException($"No exit(0) executable for {platform}.", nameof(platform)),
        };
        return Elf(target);
    }

    static byte[] Elf(Target target)
    {
        var code = target.Bytes ?? target.Words.SelectMany(word => Word(word, target.BigEndian)).ToArray();
        int header = target.Is64Bit ? 64 : 52, programHeader = target.Is64Bit ? 56 : 32;
        var size = header + programHeader + code.Length;
        var elf = new byte[size];
        var writer = new FieldWriter(elf, target.BigEndian);

        elf[0] = 0x7F; elf[1] = (byte)'E'; elf[2] = (byte)'L'; elf[3] = (byte)'F';
        elf[4] = (byte)(target.Is64Bit ? 2 : 1); // EI_CLASS
        elf[5] = (byte)(target.BigEndian ? 2 : 1); // EI_DATA
        elf[6] = 1; // EI_VERSION; EI_OSABI 0 = System V
        writer.U16(16, 2); // ET_EXEC
        writer.U16(18, target.Machine);
        writer.U32(20, 1);
        var entry = Base + (ulong)(header + programHeader);
        if (target.Is64Bit)
        {
            writer.U64(24, entry);
            writer.U64(32, (ulong)header); // e_phoff; e_shoff stays 0: no sections
            writer.U32(48, target.Flags);
            writer.U16(52, (ushort)header);
            writer.U16(54, (ushort)programHeader);
            writer.U16(56, 1);
            writer.U16(58, 64); // e_shentsize
            var ph = header;
            writer.U32(ph, 1); // PT_LOAD
            writer.U32(ph + 4, 5); // PF_R | PF_X
            writer.U64(ph + 16, Base); // p_vaddr (p_offset 0: the segment is the whole file)
            writer.U64(ph + 24, Base);
            writer.U64(ph + 32, (ulong)size);
            writer.U64(ph + 40, (ulong)size);
            writer.U64(ph + 48, 0x10000);
        }
        else
        {
            writer.U32(24, (uint)entry);
            writer.U32(28, (uint)header);
            writer.U32(36, target.Flags);
            writer.U16(40, (ushort)header);
            writer.U16(42, (ushort)programHeader);
            writer.U16(44, 1);
            writer.U16(46, 40);
            var ph = header;
            writer.U32(ph, 1);
            writer.U32(ph + 8, (uint)Base);
            writer.U32(ph + 12, (uint)Base);
            writer.U32(ph + 16, (uint)size);
            writer.U32(ph + 20, (uint)size);
            writer.U32(ph + 24, 5);
            writer.U32(ph + 28, 0x10000);
        }
        code.CopyTo(elf, header + programHeader);
        return elf;
    }

    static byte[] Word(uint word, bool bigEndian)
    {
        var bytes = new byte[4];
        if (bigEndian) BinaryPrimitives.WriteUInt32BigEndian(bytes, word); else BinaryPrimitives.WriteUInt32LittleEndian(bytes, word);
        return bytes;
    }

    readonly struct FieldWriter(byte[] buffer, bool bigEndian)
    {
        public void U16(int offset, ushort value)
        {
            if (bigEndian) BinaryPrimitives.WriteUInt16BigEndian(buffer.AsSpan(offset), value);
            else BinaryPrimitives.WriteUInt16LittleEndian(buffer.AsSpan(offset), value);
        }

        public void U32(int offset, uint value)
        {
            if (bigEndian) BinaryPrimitives.WriteUInt32BigEndian(buffer.AsSpan(offset), value);
            else BinaryPrimitives.WriteUInt32LittleEndian(buffer.AsSpan(offset), value);
        }

        public void U64(int offset, ulong value)
        {
            if (bigEndian) BinaryPrimitives.WriteUInt64BigEndian(buffer.AsSpan(offset), value);
            else BinaryPrimitives.WriteUInt64LittleEndian(buffer.AsSpan(offset), value);
        }
    }
}
