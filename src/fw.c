// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright 2026 The panthor-reclaim authors
 */

/**
 * DOC: MCU firmware
 *
 * CSF GPUs schedule work with a microcontroller (the MCU) running Arm's
 * firmware, loaded by the driver from ``arm/mali/archX.Y/mali_csffw.bin``.
 * The image is a container: a 20-byte header (magic 0xc3f13a6e, format major
 * 0, size of the entry area) followed by 32-bit aligned entries, each with a
 * type and size. Interface (IFACE) entries describe sections to place in the
 * MCU's address space (AS 0): a VA range, access and cache flags and the
 * bytes that initialise it. One section, at MCU VA 0x04000000, is SHARED: it
 * holds the control blocks and the input/output pages through which the host
 * talks to the firmware, and the CPU keeps it mapped. Build-information
 * entries are logged; configuration, self-test, trace and timeline entries
 * describe features this driver does not use and are skipped, as are
 * unknown entries marked optional. Anything else rejects the image.
 *
 * The MCU's address space is a &struct prc_vm of its own (prc_vm_create_mcu():
 * 32 bits, no user range), and each section is a kernel BO (kbo.c) mapped
 * at the section's fixed VA with the protection its flags ask for. Kernel
 * BOs are never reclaimed (the MCU may touch them at any time). The initial
 * contents of every section are kept, so a GPU reset can reload the
 * writable ones. The scheduler allocates its own objects in the same VM:
 * queue interfaces (prc_fw_alloc_queue_iface()) and group suspend buffers
 * (prc_fw_alloc_suspend_buf()), at automatic VAs.
 *
 * Booting binds the MCU's VM to AS 0 (prc_vm_as_enable(), after which every
 * change of its page tables is flushed from AS 0), sets MCU_CONTROL to AUTO
 * and waits for the firmware's first global interrupt. The global interface
 * is then checked and configured (timers, enabled cores, interrupts), and a
 * watchdog pings the firmware every 12 seconds, as it expects. Unloading
 * asks the firmware to halt, stops the MCU, disables AS 0, and only then
 * frees the sections and drops the VM.
 */

#include <linux/err.h>
#include <linux/firmware.h>
#include <linux/interrupt.h>
#include <linux/iopoll.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "device.h"
#include "fw.h"
#include "kbo.h"
#include "regs.h"
#include "vm.h"

#define PRC_FW_MAGIC			0xc3f13a6e
#define PRC_FW_MIN_CSGS			3
#define PRC_FW_MIN_CS			8
#define PRC_FW_BOOT_TIMEOUT_MS		1000
#define PRC_FW_ACK_TIMEOUT_MS		100
#define PRC_FW_PING_INTERVAL_MS		12000
/* Firmware timers: shader power-off and idle hysteresis, progress watchdog */
#define PRC_FW_POWEROFF_US		10000
#define PRC_FW_IDLE_US			800
#define PRC_FW_PROGRESS_TIMEOUT		((5ull * 500 * 1024 * 1024) >> 10)

/* Container entry header: type, size in bytes (header included), flags */
#define PRC_FW_ENTRY_TYPE(h)		((h) & 0xff)
#define PRC_FW_ENTRY_SIZE(h)		(((h) >> 8) & 0xff)
#define PRC_FW_ENTRY_OPTIONAL		BIT(31)

enum prc_fw_entry_type {
	PRC_FW_ENTRY_IFACE = 0,
	PRC_FW_ENTRY_CONFIG = 1,
	PRC_FW_ENTRY_FUTF_TEST = 2,
	PRC_FW_ENTRY_TRACE_BUFFER = 3,
	PRC_FW_ENTRY_TIMELINE_METADATA = 4,
	PRC_FW_ENTRY_BUILD_INFO = 6,
};

/* IFACE section flags */
#define PRC_FW_SEC_WR			BIT(1)
#define PRC_FW_SEC_EX			BIT(2)
#define PRC_FW_SEC_CACHE_MODE		GENMASK(4, 3)
#define   PRC_FW_SEC_CACHED		BIT(3)
#define PRC_FW_SEC_PROT			BIT(5)
#define PRC_FW_SEC_SHARED		BIT(30)
#define PRC_FW_SEC_ZERO			BIT(31)
#define PRC_FW_SEC_KNOWN		(GENMASK(5, 0) | PRC_FW_SEC_SHARED | PRC_FW_SEC_ZERO)

struct prc_fw_header {
	__le32 magic;
	u8 minor;
	u8 major;
	__le16 pad1;
	__le32 version_hash;
	__le32 pad2;
	__le32 size;
};

struct prc_fw_section_hdr {
	__le32 flags;
	__le32 va_start;
	__le32 va_end;
	__le32 data_start;
	__le32 data_end;
};

static_assert(sizeof(struct prc_fw_header) == 20);
static_assert(sizeof(struct prc_fw_section_hdr) == 20);

/**
 * struct prc_fw_section - one IFACE section of the image, in MCU memory
 * @node: in &prc_fw.sections
 * @flags: PRC_FW_SEC_* flags from the image
 * @va: MCU virtual address
 * @size: bytes of MCU address space, page aligned
 * @kbo: the memory, mapped at @va in the MCU's VM, with a CPU view
 *	 (write-combined unless coherent) for as long as it is loaded
 * @data: initial contents from the image (NULL when none)
 * @data_size: bytes at @data
 * @name: section name from the image, for messages
 *
 * Immutable after load except the memory contents.
 */
struct prc_fw_section {
	struct list_head node;
	u32 flags;
	u32 va;
	u32 size;
	struct prc_kbo *kbo;
	void *data;
	u32 data_size;
	char *name;
};

/* A bounded cursor over the image, so no entry can read past its end. */
struct prc_fw_cursor {
	const u8 *data;
	size_t size;
	size_t pos;
};

static const void *prc_fw_take(struct prc_fw_cursor *c, size_t len)
{
	const void *p;

	if (len > c->size - c->pos)
		return NULL;
	p = c->data + c->pos;
	c->pos += len;
	return p;
}

/* Unmaps and frees the section's memory: the MCU must be stopped and AS 0 disabled. */
static void prc_fw_section_free(struct prc_fw_section *sec)
{
	prc_kbo_free(sec->kbo);
	kvfree(sec->data);
	kfree(sec->name);
	kfree(sec);
}

/*
 * (Re)initialise a section's memory from the image. The CPU view is
 * write-combined (or the GPU coherent): the MCU sees the bytes without cache
 * maintenance. Every section keeps its CPU view while loaded, so that a
 * resume can refill it without allocating.
 */
static void prc_fw_section_fill(struct prc_fw_section *sec)
{
	void *cpu = prc_kbo_cpu(sec->kbo);

	memcpy(cpu, sec->data, sec->data_size);
	memset(cpu + sec->data_size, 0, sec->size - sec->data_size);
}

/* The MCU's access to a section, from the section's flags in the image. */
static u32 prc_fw_section_access(u32 flags)
{
	u32 gpu = 0;

	if (flags & PRC_FW_SEC_WR)
		gpu |= PRC_KBO_GPU_WRITE;
	if (flags & PRC_FW_SEC_EX)
		gpu |= PRC_KBO_GPU_EXEC;
	/* The coherent cache modes are treated as uncached: always correct. */
	if ((flags & PRC_FW_SEC_CACHE_MODE) == PRC_FW_SEC_CACHED)
		gpu |= PRC_KBO_GPU_CACHED;
	return gpu;
}

/* Allocate, fill and map one section described by @hdr. */
static int prc_fw_section_load(struct prc_device *pdev, const struct firmware *img,
			       const struct prc_fw_section_hdr *hdr, const char *name,
			       size_t name_len)
{
	struct device *dev = pdev->base.dev;
	struct prc_fw *fw = &pdev->fw;
	u32 flags = le32_to_cpu(hdr->flags), va = le32_to_cpu(hdr->va_start);
	u32 va_end = le32_to_cpu(hdr->va_end), data = le32_to_cpu(hdr->data_start);
	u32 data_end = le32_to_cpu(hdr->data_end);
	struct prc_fw_section *sec;
	int ret;

	if (va_end < va || !PAGE_ALIGNED(va) || !PAGE_ALIGNED(va_end) || data_end < data ||
	    data_end > img->size || data_end - data > va_end - va) {
		dev_err(dev, "firmware section %.*s: bad range (VA 0x%x-0x%x, data 0x%x-0x%x)\n",
			(int)name_len, name, va, va_end, data, data_end);
		return -EINVAL;
	}
	if (flags & ~PRC_FW_SEC_KNOWN) {
		dev_err(dev, "firmware section %.*s: unknown flags 0x%x\n", (int)name_len, name,
			flags);
		return -EINVAL;
	}
	if (flags & PRC_FW_SEC_PROT) {
		/* Protected mode is not supported; its sections are not needed. */
		dev_info(dev, "skipping protected-mode firmware section at 0x%x\n", va);
		return 0;
	}
	if (va == PRC_FW_SHARED_VA && !(flags & PRC_FW_SEC_SHARED)) {
		dev_err(dev, "firmware section at 0x%x must be shared\n", va);
		return -EINVAL;
	}
	if (va == va_end)
		return 0;

	sec = kzalloc(sizeof(*sec), GFP_KERNEL);
	if (!sec)
		return -ENOMEM;
	sec->flags = flags;
	sec->va = va;
	sec->size = va_end - va;
	sec->data_size = data_end - data;
	sec->name = kstrndup(name, name_len, GFP_KERNEL);
	sec->data = kvmemdup(img->data + data, sec->data_size, GFP_KERNEL);
	if (!sec->name || (sec->data_size && !sec->data)) {
		ret = -ENOMEM;
		goto err;
	}
	/*
	 * Mapped before it is filled: harmless, the MCU is not running. The
	 * SHARED section's CPU view is also how the host reads and writes the
	 * interfaces while the firmware runs.
	 */
	sec->kbo = prc_kbo_new(fw->vm, &(struct prc_kbo_desc){
		.purpose = "firmware section",
		.size = sec->size,
		.gpu = prc_fw_section_access(flags),
		.cpu_view = true,
		.fixed = true,
		.va = va,
	});
	if (IS_ERR(sec->kbo)) {
		ret = PTR_ERR(sec->kbo);
		sec->kbo = NULL;
		dev_err(dev, "firmware section %s: cannot map at 0x%x (%d)\n", sec->name, va, ret);
		goto err;
	}
	prc_fw_section_fill(sec);
	list_add_tail(&sec->node, &fw->sections);
	if (va == PRC_FW_SHARED_VA)
		fw->shared = sec;
	return 0;

err:
	prc_fw_section_free(sec);
	return ret;
}

static void prc_fw_build_info(struct prc_device *pdev, const struct firmware *img,
			      struct prc_fw_cursor *entry)
{
	static const char tag[] = "git_sha: ";
	const __le32 *hdr = prc_fw_take(entry, 8);
	u32 start, size;

	if (!hdr)
		return;
	start = le32_to_cpu(hdr[0]);
	size = le32_to_cpu(hdr[1]);
	/* Informational only: anything unexpected is ignored. */
	if (start > img->size || size > img->size - start || size <= sizeof(tag) ||
	    memcmp(img->data + start, tag, sizeof(tag) - 1) || img->data[start + size - 1])
		return;
	dev_info(pdev->base.dev, "firmware build %s\n", img->data + start + sizeof(tag) - 1);
}

static int prc_fw_parse(struct prc_device *pdev, const struct firmware *img)
{
	struct prc_fw_cursor c = { .data = img->data, .size = img->size };
	struct device *dev = pdev->base.dev;
	const struct prc_fw_header *hdr = prc_fw_take(&c, sizeof(*hdr));
	int ret;

	if (!hdr || le32_to_cpu(hdr->magic) != PRC_FW_MAGIC) {
		dev_err(dev, "not a Mali CSF firmware image\n");
		return -EINVAL;
	}
	if (hdr->major != 0) {
		dev_err(dev, "firmware image format %u.%u is not supported\n", hdr->major,
			hdr->minor);
		return -EINVAL;
	}
	if (le32_to_cpu(hdr->size) > img->size) {
		dev_err(dev, "firmware image truncated\n");
		return -EINVAL;
	}
	c.size = le32_to_cpu(hdr->size);

	while (c.pos < c.size) {
		const __le32 *ehdr = prc_fw_take(&c, 4);
		struct prc_fw_cursor entry;
		u32 h, size;

		if (!ehdr)
			goto truncated;
		h = le32_to_cpu(*ehdr);
		size = PRC_FW_ENTRY_SIZE(h);
		if (size < 4 || size % 4) {
			dev_err(dev, "firmware entry at 0x%zx has bad size %u\n", c.pos - 4, size);
			return -EINVAL;
		}
		entry.data = prc_fw_take(&c, size - 4);
		if (!entry.data)
			goto truncated;
		entry.size = size - 4;
		entry.pos = 0;

		switch (PRC_FW_ENTRY_TYPE(h)) {
		case PRC_FW_ENTRY_IFACE: {
			const struct prc_fw_section_hdr *sh = prc_fw_take(&entry, sizeof(*sh));
			const char *name = (const char *)entry.data + entry.pos;

			if (!sh)
				goto truncated;
			/* The rest of the entry is the section's name. */
			ret = prc_fw_section_load(pdev, img, sh, name,
						  strnlen(name, entry.size - entry.pos));
			if (ret)
				return ret;
			break;
		}
		case PRC_FW_ENTRY_BUILD_INFO:
			prc_fw_build_info(pdev, img, &entry);
			break;
		case PRC_FW_ENTRY_CONFIG:
		case PRC_FW_ENTRY_FUTF_TEST:
		case PRC_FW_ENTRY_TRACE_BUFFER:
		case PRC_FW_ENTRY_TIMELINE_METADATA:
			break;
		default:
			if (h & PRC_FW_ENTRY_OPTIONAL)
				break;
			dev_err(dev, "firmware entry type %u is not supported\n",
				PRC_FW_ENTRY_TYPE(h));
			return -EINVAL;
		}
	}
	if (!pdev->fw.shared) {
		dev_err(dev, "firmware image has no shared interface section\n");
		return -EINVAL;
	}
	return 0;

truncated:
	dev_err(dev, "firmware image truncated\n");
	return -EINVAL;
}

/* The CPU address of an MCU VA inside the SHARED section, or NULL. */
static void *prc_fw_iface_ptr(struct prc_fw *fw, u32 mcu_va, size_t len)
{
	struct prc_fw_section *sh = fw->shared;

	if (mcu_va < sh->va || mcu_va - sh->va > sh->size || len > sh->size - (mcu_va - sh->va))
		return NULL;
	return prc_kbo_cpu(sh->kbo) + (mcu_va - sh->va);
}

/*
 * Find the input and output pages of every CSG slot and stream. Each slot
 * must offer the same streams as slot 0, and every page must lie in the
 * SHARED section: the scheduler then uses them without further checks.
 */
static int prc_fw_map_slots(struct prc_fw *fw)
{
	u32 g, n;

	for (g = 0; g < fw->csg_count; g++) {
		u32 ctrl_va = PRC_FW_SHARED_VA + PRC_FW_CSG_CONTROL_OFFSET + g * fw->csg_stride;
		const struct prc_fw_csg_control *csg = prc_fw_iface_ptr(fw, ctrl_va, sizeof(*csg));
		struct prc_fw_csg_iface *slot = &fw->csg[g];

		if (!csg || csg->stream_num != fw->cs_count || csg->stream_stride != fw->cs_stride)
			return -EINVAL;
		slot->in = prc_fw_iface_ptr(fw, csg->input_va, sizeof(*slot->in));
		slot->out = prc_fw_iface_ptr(fw, csg->output_va, sizeof(*slot->out));
		if (!slot->in || !slot->out)
			return -EINVAL;
		for (n = 0; n < fw->cs_count; n++) {
			const struct prc_fw_cs_control *cs;

			cs = prc_fw_iface_ptr(fw, ctrl_va + PRC_FW_CS_CONTROL_OFFSET +
					      n * fw->cs_stride, sizeof(*cs));
			if (!cs)
				return -EINVAL;
			struct prc_fw_cs_iface *stream = &slot->cs[n];

			stream->in = prc_fw_iface_ptr(fw, cs->input_va, sizeof(*stream->in));
			stream->out = prc_fw_iface_ptr(fw, cs->output_va, sizeof(*stream->out));
			if (!stream->in || !stream->out)
				return -EINVAL;
		}
	}
	return 0;
}

static irqreturn_t prc_job_irq(int irq, void *data)
{
	struct prc_device *pdev = data;
	void __iomem *base = pdev->iomem + PRC_JOB_IRQ_BASE;
	u32 status = readl(base + PRC_IRQ_STATUS);
	u32 slots = status & ~PRC_JOB_IRQ_GLOBAL;
	const struct prc_fw_events *events;

	if (!status)
		return IRQ_NONE;
	writel(status, base + PRC_IRQ_CLEAR);
	if (status & PRC_JOB_IRQ_GLOBAL)
		WRITE_ONCE(pdev->fw.booted, true);
	events = READ_ONCE(pdev->fw.events);
	if (slots && events)
		events->csg_irq(pdev, slots);
	wake_up_all(&pdev->fw.wq);
	return IRQ_HANDLED;
}

/* Toggle the global request bits @mask (events) and ring the global doorbell. */
static void prc_fw_glb_toggle(struct prc_device *pdev, u32 mask)
{
	struct prc_fw *fw = &pdev->fw;
	u32 ack;

	spin_lock(&fw->req_lock);
	ack = READ_ONCE(fw->glb_out->ack);
	WRITE_ONCE(fw->glb_in->req, (READ_ONCE(fw->glb_in->req) & ~mask) | (~ack & mask));
	spin_unlock(&fw->req_lock);
	writel(1, pdev->iomem + PRC_DOORBELL(0));
}

/**
 * prc_fw_ring_csgs() - tell the firmware to look at the requests of CSG slots
 * @pdev: the device, with the firmware booted
 * @slots: bit mask of CSG slots whose input pages changed
 *
 * Toggles the slots' bits of the global doorbell request and rings the
 * global doorbell. Does not sleep or allocate.
 */
void prc_fw_ring_csgs(struct prc_device *pdev, u32 slots)
{
	struct prc_fw *fw = &pdev->fw;

	spin_lock(&fw->req_lock);
	WRITE_ONCE(fw->glb_in->doorbell_req, READ_ONCE(fw->glb_in->doorbell_req) ^ slots);
	spin_unlock(&fw->req_lock);
	writel(1, pdev->iomem + PRC_DOORBELL(0));
}

/* Set the global request bits @mask to @value (levels such as HALT, IDLE_EN). */
static void prc_fw_glb_set(struct prc_device *pdev, u32 mask, u32 value)
{
	struct prc_fw *fw = &pdev->fw;

	spin_lock(&fw->req_lock);
	WRITE_ONCE(fw->glb_in->req, (READ_ONCE(fw->glb_in->req) & ~mask) | (value & mask));
	spin_unlock(&fw->req_lock);
}

/* Wait until the firmware acknowledged every request bit in @mask. */
static int prc_fw_glb_wait(struct prc_device *pdev, u32 mask)
{
	struct prc_fw *fw = &pdev->fw;

	if (wait_event_timeout(fw->wq,
			       !((READ_ONCE(fw->glb_in->req) ^ READ_ONCE(fw->glb_out->ack)) & mask),
			       msecs_to_jiffies(PRC_FW_ACK_TIMEOUT_MS)))
		return 0;
	return -ETIMEDOUT;
}

static void prc_fw_ping(struct work_struct *work)
{
	struct prc_fw *fw = container_of(to_delayed_work(work), struct prc_fw, ping_work);
	struct prc_device *pdev = container_of(fw, struct prc_device, fw);
	const struct prc_fw_events *events;

	prc_fw_glb_toggle(pdev, PRC_GLB_PING);
	if (prc_fw_glb_wait(pdev, PRC_GLB_PING)) {
		dev_err(pdev->base.dev, "firmware did not answer the watchdog ping\n");
		/* The reset reboots the firmware, which restarts the ping. */
		events = READ_ONCE(fw->events);
		if (events)
			events->unresponsive(pdev);
		return;
	}
	queue_delayed_work(system_wq, &fw->ping_work, msecs_to_jiffies(PRC_FW_PING_INTERVAL_MS));
}

/*
 * Firmware timers count either the GPU clock or the system counter, in units
 * of 1024 ticks. The GPU clock is always there; its rate is the core clock's.
 */
static u32 prc_fw_timer(struct prc_device *pdev, u32 us)
{
	u64 ticks = DIV_ROUND_UP_ULL((u64)us * clk_get_rate(pdev->clk_core), 1000000ull << 10);

	return min_t(u64, ticks, GENMASK(30, 0)) | PRC_GLB_TIMER_GPU_COUNTER;
}

/* Check the interfaces the booted firmware describes, then configure it. */
static int prc_fw_setup_glb(struct prc_device *pdev)
{
	struct device *dev = pdev->base.dev;
	struct prc_fw *fw = &pdev->fw;
	const struct prc_fw_csg_control *csg;
	const struct prc_fw_cs_control *cs;
	u32 version;
	int ret;

	fw->glb_ctrl = prc_fw_iface_ptr(fw, PRC_FW_SHARED_VA, sizeof(*fw->glb_ctrl));
	version = fw->glb_ctrl ? READ_ONCE(fw->glb_ctrl->version) : 0;
	if (!version) {
		dev_err(dev, "firmware reports no interface version: it did not boot\n");
		return -EINVAL;
	}
	fw->glb_in = prc_fw_iface_ptr(fw, fw->glb_ctrl->input_va, sizeof(*fw->glb_in));
	fw->glb_out = prc_fw_iface_ptr(fw, fw->glb_ctrl->output_va, sizeof(*fw->glb_out));
	fw->csg_count = fw->glb_ctrl->group_num;
	csg = prc_fw_iface_ptr(fw, PRC_FW_SHARED_VA + PRC_FW_CSG_CONTROL_OFFSET, sizeof(*csg));
	if (!fw->glb_in || !fw->glb_out || !csg || fw->csg_count < PRC_FW_MIN_CSGS ||
	    fw->csg_count > PRC_FW_MAX_CSGS || csg->stream_num < PRC_FW_MIN_CS ||
	    csg->stream_num > PRC_FW_MAX_CS) {
		dev_err(dev, "firmware global interface is unusable (%u groups)\n",
			fw->csg_count);
		return -EINVAL;
	}
	fw->cs_count = csg->stream_num;
	fw->csg_suspend_size = csg->suspend_size;
	fw->csg_protm_suspend_size = csg->protm_suspend_size;
	fw->csg_stride = fw->glb_ctrl->group_stride;
	fw->cs_stride = csg->stream_stride;
	cs = prc_fw_iface_ptr(fw, PRC_FW_SHARED_VA + PRC_FW_CSG_CONTROL_OFFSET +
			      PRC_FW_CS_CONTROL_OFFSET, sizeof(*cs));
	if (!cs || prc_fw_map_slots(fw)) {
		dev_err(dev, "firmware stream interface is unusable\n");
		return -EINVAL;
	}
	fw->cs_features = cs->features;

	fw->glb_in->core_en_mask = pdev->props.shader_present;
	fw->glb_in->poweroff_timer = prc_fw_timer(pdev, PRC_FW_POWEROFF_US);
	fw->glb_in->progress_timer = PRC_FW_PROGRESS_TIMEOUT;
	fw->glb_in->idle_timer = prc_fw_timer(pdev, PRC_FW_IDLE_US);
	fw->glb_in->ack_irq_mask = PRC_GLB_CFG_ALLOC_EN | PRC_GLB_PING |
				   PRC_GLB_CFG_PROGRESS_TIMER | PRC_GLB_CFG_POWEROFF_TIMER |
				   PRC_GLB_IDLE_EN | PRC_GLB_IDLE;
	/* COUNTER_EN (uAPI 1.6) is never acknowledged: not waited for below. */
	prc_fw_glb_set(pdev, PRC_GLB_IDLE_EN | PRC_GLB_COUNTER_EN,
		       PRC_GLB_IDLE_EN | PRC_GLB_COUNTER_EN);
	prc_fw_glb_toggle(pdev, PRC_GLB_CFG_ALLOC_EN | PRC_GLB_CFG_POWEROFF_TIMER |
			  PRC_GLB_CFG_PROGRESS_TIMER);
	ret = prc_fw_glb_wait(pdev, PRC_GLB_CFG_ALLOC_EN | PRC_GLB_CFG_POWEROFF_TIMER |
			      PRC_GLB_CFG_PROGRESS_TIMER | PRC_GLB_IDLE_EN);
	if (ret) {
		dev_err(dev, "firmware did not acknowledge its configuration\n");
		return ret;
	}
	if (!fw->booted_once)
		dev_info(dev, "firmware interface v%u.%u.%u: %u command stream groups of %u streams\n",
			 version >> 24, (version >> 16) & 0xff, version & 0xffff, fw->csg_count,
			 fw->cs_count);
	fw->booted_once = true;
	queue_delayed_work(system_wq, &fw->ping_work, msecs_to_jiffies(PRC_FW_PING_INTERVAL_MS));
	return 0;
}

static int prc_fw_boot(struct prc_device *pdev)
{
	struct prc_fw *fw = &pdev->fw;
	u32 status;
	int ret;

	/* AS 0 is the MCU's for good; its VM's changes are flushed there from now on. */
	ret = prc_vm_as_enable(fw->vm, 0);
	if (ret)
		return ret;
	WRITE_ONCE(fw->booted, false);
	/* A HALT request left from the last stop would halt the new run at once. */
	if (fw->glb_in)
		prc_fw_glb_set(pdev, PRC_GLB_HALT, 0);
	writel(~0u, pdev->iomem + PRC_JOB_IRQ_BASE + PRC_IRQ_CLEAR);
	writel(~0u, pdev->iomem + PRC_JOB_IRQ_BASE + PRC_IRQ_MASK);
	writel(PRC_MCU_CONTROL_AUTO, pdev->iomem + PRC_MCU_CONTROL);
	if (!wait_event_timeout(fw->wq, READ_ONCE(fw->booted),
				msecs_to_jiffies(PRC_FW_BOOT_TIMEOUT_MS))) {
		status = readl(pdev->iomem + PRC_MCU_STATUS);
		dev_err(pdev->base.dev, "MCU did not boot (MCU_STATUS %u)\n", status);
		return -ETIMEDOUT;
	}
	return prc_fw_setup_glb(pdev);
}

/* Halt the firmware cleanly if it runs, then stop the MCU. */
static void prc_fw_stop(struct prc_device *pdev)
{
	struct prc_fw *fw = &pdev->fw;
	u32 status;

	cancel_delayed_work_sync(&fw->ping_work);
	if (fw->glb_in) {
		prc_fw_glb_set(pdev, PRC_GLB_HALT, PRC_GLB_HALT);
		writel(1, pdev->iomem + PRC_DOORBELL(0));
		if (readl_poll_timeout(pdev->iomem + PRC_MCU_STATUS, status,
				       status == PRC_MCU_STATUS_HALT, 10, 100000))
			dev_warn(pdev->base.dev, "firmware did not halt (MCU_STATUS %u)\n", status);
	}
	writel(PRC_MCU_CONTROL_DISABLE, pdev->iomem + PRC_MCU_CONTROL);
	if (readl_poll_timeout(pdev->iomem + PRC_MCU_STATUS, status,
			       status == PRC_MCU_STATUS_DISABLED, 10, 100000))
		dev_warn(pdev->base.dev, "MCU did not stop (MCU_STATUS %u)\n", status);
	writel(0, pdev->iomem + PRC_JOB_IRQ_BASE + PRC_IRQ_MASK);
}

static void prc_fw_fini(void *data)
{
	struct prc_device *pdev = data;
	struct prc_fw *fw = &pdev->fw;
	struct prc_fw_section *sec, *tmp;

	prc_fw_stop(pdev);
	/* The MCU is off: nothing walks its tables any more. */
	prc_vm_as_disable(fw->vm);
	fw->glb_ctrl = NULL;
	fw->glb_in = NULL;
	fw->glb_out = NULL;
	fw->shared = NULL;
	list_for_each_entry_safe(sec, tmp, &fw->sections, node) {
		list_del(&sec->node);
		prc_fw_section_free(sec);
	}
	/* Frees the page tables, unless a kernel BO still holds the VM. */
	prc_vm_put(fw->vm);
	fw->vm = NULL;
}

/**
 * prc_fw_suspend() - halt the firmware and stop the MCU before power-off
 * @pdev: the device, with no group on a CSG slot
 *
 * The MCU's VM leaves address space 0, so nothing touches the MMU until
 * prc_fw_resume().
 */
void prc_fw_suspend(struct prc_device *pdev)
{
	prc_fw_stop(pdev);
	prc_vm_as_disable(pdev->fw.vm);
}

/**
 * prc_fw_resume() - boot the firmware again after power-on
 * @pdev: the device, GPU reset and L2 powered
 *
 * A cold boot from the sections already in memory, refilled from the image
 * (the previous run changed its data). Allocates nothing.
 *
 * Return: 0 or a negative errno (the firmware did not boot).
 */
int prc_fw_resume(struct prc_device *pdev)
{
	struct prc_fw_section *sec;

	list_for_each_entry(sec, &pdev->fw.sections, node)
		if (sec != pdev->fw.shared)
			prc_fw_section_fill(sec);
	return prc_fw_boot(pdev);
}

/**
 * prc_fw_vm() - the MCU's VM
 * @pdev: the device, with the firmware loaded
 *
 * Return: the VM (no reference taken: it lives until the firmware is
 * unloaded; kernel BOs created in it hold their own), or NULL once the
 * firmware is unloaded.
 */
struct prc_vm *prc_fw_vm(struct prc_device *pdev)
{
	return pdev->fw.vm;
}

/**
 * prc_fw_alloc_queue_iface() - memory for the ring-buffer interface of a queue
 * @pdev: the device, with the firmware loaded
 * @input: set to the CPU address of the input page (host-written)
 * @output: set to the CPU address of the output page (firmware-written)
 * @input_va: set to the MCU VA of the input page
 * @output_va: set to the MCU VA of the output page
 *
 * One 8 KiB kernel BO in the MCU's VM, at an automatic VA, written by both
 * sides and so uncached for the MCU, with a zeroed CPU view: the input page
 * at offset 0, the output page at 4 KiB. Free it with prc_kbo_free() once
 * the firmware no longer uses the queue. Sleeps.
 *
 * Return: the kbo, or an ERR_PTR() (-ENOMEM, -ENOSPC, -EINTR; -ENODEV once
 * the firmware is unloaded); the output arguments are only set on success.
 */
struct prc_kbo *prc_fw_alloc_queue_iface(struct prc_device *pdev, void **input, void **output,
					 u32 *input_va, u32 *output_va)
{
	struct prc_kbo *kbo;

	if (!pdev->fw.vm)
		return ERR_PTR(-ENODEV);
	kbo = prc_kbo_new(pdev->fw.vm, &(struct prc_kbo_desc){
		.purpose = "queue interface",
		.size = SZ_8K,
		.gpu = PRC_KBO_GPU_WRITE,
		.cpu_view = true,
	});
	if (IS_ERR(kbo))
		return kbo;
	*input = prc_kbo_cpu(kbo);
	*output = prc_kbo_cpu(kbo) + SZ_4K;
	/* The MCU's VM ends at 4 GiB: its VAs fit 32 bits. */
	*input_va = lower_32_bits(prc_kbo_va(kbo));
	*output_va = *input_va + SZ_4K;
	return kbo;
}

/**
 * prc_fw_alloc_suspend_buf() - memory for a command stream group's suspend buffer
 * @pdev: the device, with the firmware loaded
 * @size: bytes (the group slot's suspend size), rounded up to pages
 *
 * A kernel BO in the MCU's VM, at an automatic VA, that only the firmware
 * touches: it saves and restores the group's state there, through its
 * caches. No CPU view. Free it with prc_kbo_free(). Sleeps.
 *
 * Return: the kbo, or an ERR_PTR() (-EINVAL for a size of 0, -ENOMEM,
 * -ENOSPC, -EINTR; -ENODEV once the firmware is unloaded).
 */
struct prc_kbo *prc_fw_alloc_suspend_buf(struct prc_device *pdev, size_t size)
{
	if (!pdev->fw.vm)
		return ERR_PTR(-ENODEV);
	return prc_kbo_new(pdev->fw.vm, &(struct prc_kbo_desc){
		.purpose = "suspend buffer",
		.size = size,
		.gpu = PRC_KBO_GPU_WRITE | PRC_KBO_GPU_CACHED,
	});
}

/**
 * prc_fw_set_events() - choose who handles the firmware's events
 * @pdev: the device, with the firmware loaded
 * @events: the handlers (kept, not copied), or NULL to stop the events
 *
 * After prc_fw_set_events(pdev, NULL), a job IRQ handler that already
 * read the old handlers may still run them: synchronize_irq() on
 * &prc_device.irq_job waits for it. The watchdog may also call
 * &prc_fw_events.unresponsive once more until it is cancelled (at unload).
 */
void prc_fw_set_events(struct prc_device *pdev, const struct prc_fw_events *events)
{
	WRITE_ONCE(pdev->fw.events, events);
}

/**
 * prc_fw_init() - load the firmware image, boot the MCU, set up the
 * global interface and start the watchdog ping
 * @pdev: the device, with GPU and MMU initialised
 *
 * Everything is undone automatically when the device goes away (devres).
 *
 * Return: 0 or a negative errno.
 */
int prc_fw_init(struct prc_device *pdev)
{
	struct device *dev = pdev->base.dev;
	struct prc_fw *fw = &pdev->fw;
	const struct firmware *img;
	char path[64];
	int ret;

	INIT_LIST_HEAD(&fw->sections);
	spin_lock_init(&fw->req_lock);
	init_waitqueue_head(&fw->wq);
	INIT_DELAYED_WORK(&fw->ping_work, prc_fw_ping);

	writel(0, pdev->iomem + PRC_JOB_IRQ_BASE + PRC_IRQ_MASK);
	ret = devm_request_irq(dev, pdev->irq_job, prc_job_irq, IRQF_SHARED, "mali-job", pdev);
	if (ret)
		return dev_err_probe(dev, ret, "cannot request the job interrupt\n");

	fw->vm = prc_vm_create_mcu(pdev);
	if (IS_ERR(fw->vm)) {
		ret = PTR_ERR(fw->vm);
		fw->vm = NULL;
		return ret;
	}
	ret = devm_add_action_or_reset(dev, prc_fw_fini, pdev);
	if (ret)
		return ret;

	snprintf(path, sizeof(path), "arm/mali/arch%u.%u/mali_csffw.bin",
		 PRC_GPU_ID_ARCH_MAJOR(pdev->props.gpu_id),
		 PRC_GPU_ID_ARCH_MINOR(pdev->props.gpu_id));
	ret = request_firmware(&img, path, dev);
	if (ret)
		return dev_err_probe(dev, ret, "cannot load firmware %s\n", path);
	ret = prc_fw_parse(pdev, img);
	release_firmware(img);
	if (ret)
		return ret;
	return prc_fw_boot(pdev);
}
