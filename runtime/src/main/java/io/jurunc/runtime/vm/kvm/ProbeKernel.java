package io.jurunc.runtime.vm.kvm;

import java.util.HexFormat;

/**
 * The KVM probe's guest: 288 bytes of x86 machine code in a multiboot image (a.out kludge, loaded
 * at 1 MiB, so QEMU's {@code -kernel} takes it on both {@code -M pc} and {@code -M microvm}). It
 * enters long mode with 4-level paging, runs from the {@code 0xffffffff80000000} mapping where
 * Linux runs, loads an IDT and takes an interrupt, then writes {@value #DEBUG_EXIT_VALUE} to the
 * isa-debug-exit port, so QEMU exits with {@value #EXIT_STATUS}. A KVM that cannot run ordinary
 * kernels fails here as it does with them: on this project's PVM host (kvm_pvm) QEMU reports "KVM
 * internal error ... emulation failure" at the {@code lidt} and spins, while the same image exits
 * with 85 under TCG. {@link #IMAGE_HEX} is {@link #SOURCE} assembled with {@code as --32}, linked
 * with {@code ld -m elf_i386 -Ttext 0x100000} and flattened with {@code objcopy -O binary}
 * (checked by a test).
 */
public final class ProbeKernel {
    public static final int DEBUG_EXIT_VALUE = 0x2a;

    /** QEMU's exit status for a write of v to isa-debug-exit: (v &lt;&lt; 1) | 1. */
    public static final int EXIT_STATUS = (DEBUG_EXIT_VALUE << 1) | 1;

    /** The QEMU device the image writes to. */
    public static final String DEBUG_EXIT_DEVICE = "isa-debug-exit,iobase=0xf4,iosize=0x04";

    public static final String SOURCE = """
        # jurunc KVM probe guest: a multiboot (a.out kludge) image, loaded at 1 MiB and entered in
        # 32-bit protected mode. It builds 4-level page tables that map the first 2 MiB both at 0 and
        # at 0xffffffff80000000 (where Linux runs), enters long mode, jumps to the high mapping,
        # installs an IDT and takes a software interrupt, as every kernel does early on. Then it writes
        # 0x2a to QEMU's isa-debug-exit port 0xf4, so QEMU exits with (0x2a << 1) | 1 = 85.
                .code32
                .globl _start
        _start: .long 0x1BADB002, 0x00010000, -(0x1BADB002 + 0x00010000)
                .long 0x100000, 0x100000, 0, 0, 0x100020
        entry:  mov $0x101000, %edi             # zero 0x101000-0x105fff: PML4, PDPTs, PD, IDT
                xor %eax, %eax
                mov $5120, %ecx
                rep stosl
                movl $0x102003, 0x101000        # PML4[0]   -> PDPT low
                movl $0x103003, 0x101ff8        # PML4[511] -> PDPT high
                movl $0x104003, 0x102000        # PDPT low[0]    -> PD
                movl $0x104003, 0x103ff0        # PDPT high[510] -> PD
                movl $0x000083, 0x104000        # PD[0] -> 2 MiB page at 0
                mov %cr4, %eax
                or $0x20, %eax                  # CR4.PAE
                mov %eax, %cr4
                mov $0x101000, %eax
                mov %eax, %cr3
                mov $0xC0000080, %ecx
                rdmsr
                or $0x100, %eax                 # EFER.LME
                wrmsr
                mov %cr0, %eax
                or $0x80000001, %eax            # CR0.PG | CR0.PE
                mov %eax, %cr0
                lgdt gdtr
                ljmp $0x08, $low64
                .code64
        low64:  mov $0x10, %eax
                mov %eax, %ss
                mov %eax, %ds
                mov %eax, %es
                movabs $0xffffffff80000000, %rax
                mov $high64, %ecx
                add %rcx, %rax
                jmp *%rax                       # continue in the high mapping
        high64: mov $handler, %eax              # IDT gate 0x20 at 0x105200 -> handler
                mov %ax, 0x105200
                movw $0x08, 0x105202
                movw $0x8e00, 0x105204
                shr $16, %eax
                mov %ax, 0x105206
                lea idtr(%rip), %rsi
                lidt (%rsi)
                int $0x20
                mov $0x2a, %al
                out %al, $0xf4
        1:      hlt
                jmp 1b
        handler: iretq
                .balign 8
        gdt:    .quad 0, 0x00209A0000000000, 0x0000920000000000
        gdtr:   .word 23
                .long gdt
        idtr:   .word 0x20f
                .long 0x105000, 0
      """;

    static final String IMAGE_HEX = "02b0ad1b00000100fe4f51e40000100000001000000000000000000020001000bf001010"
            + "0031c0b900140000f3abc7050010100003201000c705f81f100003301000c70500201000"
            + "03401000c705f03f100003401000c70500401000830000000f20e083c8200f22e0b80010"
            + "10000f22d8b9800000c00f320d000100000f300f20c00d010000800f22c00f0115100110"
            + "00ea980010000800b8100000008ed08ed88ec048b800000080ffffffffb9b70010004801"
            + "c8ffe0b8f6001000668904250052100066c7042502521000080066c7042504521000008e"
            + "c1e8106689042506521000488d352c0000000f011ecd20b02ae6f4f4ebfd48cf00000000"
            + "0000000000000000009a200000000000009200001700f80010000f020050100000000000";

    private ProbeKernel() {}

    /** The image's bytes. */
    public static byte[] image() {
        return HexFormat.of().parseHex(IMAGE_HEX);
    }
}
