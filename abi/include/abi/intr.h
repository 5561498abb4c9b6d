/*
 * abi/intr.h - InterruptAttachEvent() flags.
 *
 * An interrupt number is the interrupt controller's source number as the
 * device tree gives it (the PLIC's on QEMU virt); there are no QNX
 * startup-assigned vectors.
 */
#ifndef ABI_INTR_H
#define ABI_INTR_H

#define _NTO_INTR_FLAGS_END		0x0001	/* go after the handlers already attached */
#define _NTO_INTR_FLAGS_NO_UNMASK	0x0002	/* leave the source masked after attaching */
#define _NTO_INTR_FLAGS_PROCESS		0x0004	/* belongs to the process, not the thread */
#define _NTO_INTR_FLAGS_TRK_MSK		0x0008	/* track masking, so a detach undoes it */
#define _NTO_INTR_FLAGS_ARRAY		0x0010	/* QNX InterruptAttachArray(): not supported */
#define _NTO_INTR_FLAGS_EXCLUSIVE	0x0020	/* nobody else may attach the source */
#define _NTO_INTR_FLAGS_FPU		0x0040	/* QNX in-kernel handlers only: not supported */

#endif
