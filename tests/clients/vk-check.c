// SPDX-License-Identifier: GPL-2.0-only
/*
 * vk-check: a plain Vulkan client, written from the Vulkan specification,
 * that exercises what a GPU driver's uAPI carries for Vulkan: device
 * creation (panvk creates its tiler heap and submits its first jobs
 * there), device memory of every type and of sizes up to 256 MiB (GEM
 * objects, VM binds, CPU mappings), an empty submission and a pipeline
 * barrier (job submission, syncobjs), a fence and a timeline semaphore
 * (syncobj waits, timeline points, wait-before-signal).
 *
 * Output follows IGT: "Subtest <name>: SUCCESS|FAIL|SKIP", preceded by
 * indented lines saying what was checked. Those lines carry no timings or
 * addresses, so that the runs of two kernel drivers can be compared line
 * by line. Exit status 0 when every subtest passed, 1 otherwise.
 *
 *   vk-check [-m MAX_MIB]   largest allocation (default 256 MiB)
 *   vk-check -k MIB         instead of the memory subtest, "memory-kept":
 *                           MIB MiB of host-visible memory in 8 MiB
 *                           allocations, written, then a line
 *                           "VK-CHECK-HOLD" and a wait for a line on stdin
 *                           (the time for the caller to take the memory
 *                           away, by cgroup reclaim say), then read back;
 *                           the submissions that follow use the device's
 *                           own memory again.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <vulkan/vulkan.h>

#define SECOND 1000000000ull	/* Vulkan timeouts are in nanoseconds */
#define MAX_FAMILIES 16
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static int failed;

static void note(const char *fmt, ...)
{
	va_list ap;

	printf("  ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

static int subtest(const char *name, int ok)
{
	printf("Subtest %s: %s\n", name, ok ? "SUCCESS" : "FAIL");
	fflush(stdout);
	if (!ok)
		failed = 1;
	return ok;
}

/* Note a failed call and return 0, so that "ok = check(...)" reads well. */
static int check(VkResult r, const char *what)
{
	if (r == VK_SUCCESS)
		return 1;
	note("%s failed: VkResult %d", what, r);
	return 0;
}

static void version(char *buf, size_t len, uint32_t v)
{
	snprintf(buf, len, "%u.%u.%u", VK_API_VERSION_MAJOR(v), VK_API_VERSION_MINOR(v),
		 VK_API_VERSION_PATCH(v));
}

static void memory_flags(char *buf, size_t len, VkMemoryPropertyFlags f)
{
	static const struct {
		VkMemoryPropertyFlags bit;
		const char *name;
	} names[] = {
		{ VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT, "DEVICE_LOCAL" },
		{ VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT, "HOST_VISIBLE" },
		{ VK_MEMORY_PROPERTY_HOST_COHERENT_BIT, "HOST_COHERENT" },
		{ VK_MEMORY_PROPERTY_HOST_CACHED_BIT, "HOST_CACHED" },
		{ VK_MEMORY_PROPERTY_LAZILY_ALLOCATED_BIT, "LAZILY_ALLOCATED" },
		{ VK_MEMORY_PROPERTY_PROTECTED_BIT, "PROTECTED" },
	};
	size_t i, n = 0;

	buf[0] = 0;
	for (i = 0; i < ARRAY_SIZE(names); i++)
		if (f & names[i].bit)
			n += snprintf(buf + n, len - n, "%s%s", n ? "|" : "", names[i].name);
	if (!n)
		snprintf(buf, len, "none");
}

static int has_extension(VkPhysicalDevice pd, const char *name)
{
	VkExtensionProperties *ext;
	uint32_t n = 0, i;
	int found = 0;

	if (vkEnumerateDeviceExtensionProperties(pd, NULL, &n, NULL) != VK_SUCCESS)
		return 0;
	ext = calloc(n ? n : 1, sizeof(*ext));
	if (ext && vkEnumerateDeviceExtensionProperties(pd, NULL, &n, ext) == VK_SUCCESS)
		for (i = 0; i < n; i++)
			found |= !strcmp(ext[i].extensionName, name);
	free(ext);
	return found;
}

/* The pattern word at byte offset @off of allocation @tag. */
static inline uint64_t pattern(uint64_t tag, uint64_t off)
{
	uint64_t x = (off + 1) * 0x9e3779b97f4a7c15ull ^ tag;

	x ^= x >> 29;
	return x * 0xbf58476d1ce4e5b9ull;
}

struct ctx {
	VkInstance inst;
	VkPhysicalDevice pd;
	VkDevice dev;
	uint32_t api;		/* what instance and device both speak */
	VkPhysicalDeviceProperties props;
	VkPhysicalDeviceMemoryProperties mem;
	VkQueueFamilyProperties fam[MAX_FAMILIES];
	uint32_t nfam;
	VkQueue queue[MAX_FAMILIES];	/* the first queue of each family */
	int timeline;		/* timeline semaphores enabled */
	PFN_vkWaitSemaphores wait_semaphores;
	PFN_vkSignalSemaphore signal_semaphore;
	PFN_vkGetSemaphoreCounterValue counter_value;
	uint64_t max_size;
	uint64_t kept_mib;	/* -k: the memory-kept subtest's size */
};

static int create_instance(struct ctx *c)
{
	VkApplicationInfo app = {
		.sType = VK_STRUCTURE_TYPE_APPLICATION_INFO,
		.pApplicationName = "vk-check",
		.apiVersion = VK_API_VERSION_1_3,
	};
	VkInstanceCreateInfo ci = {
		.sType = VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO,
		.pApplicationInfo = &app,
	};
	uint32_t loader = VK_API_VERSION_1_0;
	char v[32], w[32];

	if (!check(vkEnumerateInstanceVersion(&loader), "vkEnumerateInstanceVersion"))
		return 0;
	if (loader < app.apiVersion)
		app.apiVersion = loader;
	version(v, sizeof(v), loader);
	version(w, sizeof(w), app.apiVersion);
	note("loader: Vulkan %s; instance for Vulkan %s", v, w);
	return check(vkCreateInstance(&ci, NULL, &c->inst), "vkCreateInstance");
}

/* The first Arm GPU (vendor 0x13b5): not llvmpipe, should it be listed. */
static int physical_device(struct ctx *c)
{
	VkPhysicalDevice pds[8];
	uint32_t n = 8, i, loader;
	VkPhysicalDeviceDriverProperties drv = {
		.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_DRIVER_PROPERTIES,
	};
	VkPhysicalDeviceProperties2 p2 = {
		.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_PROPERTIES_2,
	};
	char v[32];

	if (!check(vkEnumeratePhysicalDevices(c->inst, &n, pds), "vkEnumeratePhysicalDevices"))
		return 0;
	for (i = 0; i < n && !c->pd; i++) {
		vkGetPhysicalDeviceProperties(pds[i], &c->props);
		if (c->props.vendorID == 0x13b5)
			c->pd = pds[i];
	}
	note("%u physical device(s)", n);
	if (!c->pd) {
		note("no Arm GPU among them");
		return 0;
	}
	c->api = c->props.apiVersion;
	if (!vkEnumerateInstanceVersion(&loader) && loader < c->api)
		c->api = loader;
	if (c->api > VK_API_VERSION_1_3)
		c->api = VK_API_VERSION_1_3;
	version(v, sizeof(v), c->props.apiVersion);
	note("device: %s, vendor 0x%04x, device 0x%08x, type %d, Vulkan %s", c->props.deviceName,
	     c->props.vendorID, c->props.deviceID, c->props.deviceType, v);
	if (c->props.apiVersion >= VK_API_VERSION_1_2 ||
	    has_extension(c->pd, VK_KHR_DRIVER_PROPERTIES_EXTENSION_NAME)) {
		p2.pNext = &drv;
		vkGetPhysicalDeviceProperties2(c->pd, &p2);
		note("driver: id %d, %s, %s, conformance %u.%u.%u.%u", drv.driverID,
		     drv.driverName, drv.driverInfo, drv.conformanceVersion.major,
		     drv.conformanceVersion.minor, drv.conformanceVersion.subminor,
		     drv.conformanceVersion.patch);
	}
	return 1;
}

static int queue_families(struct ctx *c)
{
	uint32_t i;
	int any = 0;

	c->nfam = MAX_FAMILIES;
	vkGetPhysicalDeviceQueueFamilyProperties(c->pd, &c->nfam, c->fam);
	for (i = 0; i < c->nfam; i++) {
		note("family %u: %u queue(s), flags 0x%x, timestamp bits %u", i,
		     c->fam[i].queueCount, c->fam[i].queueFlags, c->fam[i].timestampValidBits);
		any |= !!(c->fam[i].queueFlags & VK_QUEUE_GRAPHICS_BIT);
	}
	if (!any)
		note("no graphics queue family");
	return c->nfam && any;
}

static int device(struct ctx *c)
{
	static const float prio[64] = { 1.0f };
	VkDeviceQueueCreateInfo qci[MAX_FAMILIES];
	VkPhysicalDeviceTimelineSemaphoreFeatures tl = {
		.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_TIMELINE_SEMAPHORE_FEATURES,
	};
	VkPhysicalDeviceFeatures2 f2 = {
		.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FEATURES_2,
		.pNext = &tl,
	};
	const char *ext[1];
	VkDeviceCreateInfo ci = {
		.sType = VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO,
		.queueCreateInfoCount = c->nfam,
		.pQueueCreateInfos = qci,
		.ppEnabledExtensionNames = ext,
	};
	int khr = c->api < VK_API_VERSION_1_2;
	uint32_t i, nq = 0;

	/* Timeline semaphores: core in 1.2, VK_KHR_timeline_semaphore before. */
	if (!khr || has_extension(c->pd, VK_KHR_TIMELINE_SEMAPHORE_EXTENSION_NAME)) {
		vkGetPhysicalDeviceFeatures2(c->pd, &f2);
		c->timeline = tl.timelineSemaphore;
	}
	if (c->timeline) {
		tl.pNext = NULL;
		ci.pNext = &tl;
		if (khr)
			ext[ci.enabledExtensionCount++] = VK_KHR_TIMELINE_SEMAPHORE_EXTENSION_NAME;
	}
	for (i = 0; i < c->nfam; i++) {
		qci[i] = (VkDeviceQueueCreateInfo) {
			.sType = VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO,
			.queueFamilyIndex = i,
			.queueCount = c->fam[i].queueCount < 64 ? c->fam[i].queueCount : 64,
			.pQueuePriorities = prio,
		};
		nq += qci[i].queueCount;
	}
	note("every family, %u queue(s) in all; timeline semaphores %s", nq,
	     c->timeline ? (khr ? "by VK_KHR_timeline_semaphore" : "core") : "not supported");
	if (!check(vkCreateDevice(c->pd, &ci, NULL, &c->dev), "vkCreateDevice"))
		return 0;
	for (i = 0; i < c->nfam; i++)
		vkGetDeviceQueue(c->dev, i, 0, &c->queue[i]);
	if (c->timeline) {
		c->wait_semaphores = (PFN_vkWaitSemaphores)vkGetDeviceProcAddr(c->dev,
			khr ? "vkWaitSemaphoresKHR" : "vkWaitSemaphores");
		c->signal_semaphore = (PFN_vkSignalSemaphore)vkGetDeviceProcAddr(c->dev,
			khr ? "vkSignalSemaphoreKHR" : "vkSignalSemaphore");
		c->counter_value = (PFN_vkGetSemaphoreCounterValue)vkGetDeviceProcAddr(c->dev,
			khr ? "vkGetSemaphoreCounterValueKHR" : "vkGetSemaphoreCounterValue");
		if (!c->wait_semaphores || !c->signal_semaphore || !c->counter_value) {
			note("timeline semaphore entry points missing");
			return 0;
		}
	}
	return 1;
}

/* Map [off, off + len) of @m; fill or verify it with @tag's pattern. */
static int map_pattern(struct ctx *c, VkDeviceMemory m, uint32_t type, VkDeviceSize off,
		       VkDeviceSize len, uint64_t tag, int write)
{
	int coherent = c->mem.memoryTypes[type].propertyFlags &
		VK_MEMORY_PROPERTY_HOST_COHERENT_BIT;
	VkMappedMemoryRange range = {
		.sType = VK_STRUCTURE_TYPE_MAPPED_MEMORY_RANGE,
		.memory = m,
		.offset = off,
		.size = VK_WHOLE_SIZE,
	};
	uint64_t *p, i, bad = 0, first = 0;
	void *ptr;

	if (!check(vkMapMemory(c->dev, m, off, VK_WHOLE_SIZE, 0, &ptr), "vkMapMemory"))
		return 0;
	p = ptr;
	if (!write && !coherent &&
	    !check(vkInvalidateMappedMemoryRanges(c->dev, 1, &range), "vkInvalidateMapped..."))
		goto fail;
	for (i = 0; i < len / 8; i++) {
		uint64_t want = pattern(tag, off + 8 * i);

		if (write) {
			p[i] = want;
		} else if (p[i] != want) {
			if (!bad++)
				first = i;
		}
	}
	if (write && !coherent &&
	    !check(vkFlushMappedMemoryRanges(c->dev, 1, &range), "vkFlushMappedMemoryRanges"))
		goto fail;
	vkUnmapMemory(c->dev, m);
	if (bad)
		note("%" PRIu64 " of %" PRIu64 " words differ, the first at byte %" PRIu64,
		     bad, len / 8, off + 8 * first);
	return !bad;
fail:
	vkUnmapMemory(c->dev, m);
	return 0;
}

/*
 * One allocation of @size bytes of memory type @type, bound to a buffer;
 * when host-visible: written whole through one mapping, then read back
 * through a new mapping of the whole and one of its second half.
 */
static int memory_one(struct ctx *c, uint32_t type, VkDeviceSize size)
{
	VkMemoryAllocateInfo ai = {
		.sType = VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO,
		.allocationSize = size,
		.memoryTypeIndex = type,
	};
	VkBufferCreateInfo bi = {
		.sType = VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO,
		.size = size,
		.usage = VK_BUFFER_USAGE_TRANSFER_SRC_BIT | VK_BUFFER_USAGE_TRANSFER_DST_BIT |
			 VK_BUFFER_USAGE_STORAGE_BUFFER_BIT,
		.sharingMode = VK_SHARING_MODE_EXCLUSIVE,
	};
	int visible = c->mem.memoryTypes[type].propertyFlags & VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT;
	VkDeviceSize half = size / 2 & ~(VkDeviceSize)(c->props.limits.nonCoherentAtomSize - 1);
	VkMemoryRequirements req;
	VkDeviceMemory m;
	VkBuffer b = VK_NULL_HANDLE;
	int ok;

	if (!check(vkAllocateMemory(c->dev, &ai, NULL, &m), "vkAllocateMemory"))
		return 0;
	ok = check(vkCreateBuffer(c->dev, &bi, NULL, &b), "vkCreateBuffer");
	if (ok) {
		vkGetBufferMemoryRequirements(c->dev, b, &req);
		/* A type a buffer cannot use is allocated and mapped only. */
		if ((req.memoryTypeBits & 1u << type) && req.size <= size)
			ok = check(vkBindBufferMemory(c->dev, b, m, 0), "vkBindBufferMemory");
	}
	if (ok && visible)
		ok = map_pattern(c, m, type, 0, size, size ^ type, 1) &&
		     map_pattern(c, m, type, 0, size, size ^ type, 0) &&
		     map_pattern(c, m, type, half, size - half, size ^ type, 0);
	vkDestroyBuffer(c->dev, b, NULL);
	vkFreeMemory(c->dev, m, NULL);
	return ok;
}

static int memory(struct ctx *c)
{
	static const VkDeviceSize sizes[] = {
		4096, 65536 + 4096, 1 << 20, 2 << 20, (16 << 20) + 12288, 64 << 20, 256 << 20,
	};
	uint32_t t, i;
	int ok = 1;
	char f[128];

	vkGetPhysicalDeviceMemoryProperties(c->pd, &c->mem);
	for (i = 0; i < c->mem.memoryHeapCount; i++)
		note("heap %u: %" PRIu64 " MiB, flags 0x%x", i,
		     (uint64_t)c->mem.memoryHeaps[i].size >> 20, c->mem.memoryHeaps[i].flags);
	for (t = 0; t < c->mem.memoryTypeCount; t++) {
		VkMemoryType *mt = &c->mem.memoryTypes[t];
		VkDeviceSize heap = c->mem.memoryHeaps[mt->heapIndex].size, done = 0;
		int n = 0, good = 1;

		memory_flags(f, sizeof(f), mt->propertyFlags);
		for (i = 0; i < ARRAY_SIZE(sizes); i++) {
			/* Leave the heap room: it is the system's RAM. */
			if (sizes[i] > c->max_size || sizes[i] > heap / 2)
				continue;
			if (!memory_one(c, t, sizes[i])) {
				note("type %u: %" PRIu64 " bytes failed", t, (uint64_t)sizes[i]);
				good = 0;
			}
			n++;
			done = sizes[i];
		}
		note("type %u (heap %u, %s): %d allocations of 4 KiB to %" PRIu64 " MiB%s: %s",
		     t, mt->heapIndex, f, n, (uint64_t)done >> 20,
		     mt->propertyFlags & VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT ?
		     ", written and read back through mappings" : ", not host-visible",
		     good ? "ok" : "FAILED");
		ok &= good;
	}
	return ok && c->mem.memoryTypeCount;
}

#define KEPT_CHUNK (8ull << 20)

/*
 * @c->kept_mib MiB of the first host-visible memory type, in allocations
 * of KEPT_CHUNK, written, held while the caller does what it wants with
 * them (see the top of the file), then read back whole.
 */
static int memory_kept(struct ctx *c)
{
	uint32_t n = (c->kept_mib << 20) / KEPT_CHUNK, type, i, made = 0, good = 0;
	VkDeviceMemory *m = calloc(n, sizeof(*m));
	char line[16];
	int ok = 1;

	vkGetPhysicalDeviceMemoryProperties(c->pd, &c->mem);
	for (type = 0; type < c->mem.memoryTypeCount; type++)
		if (c->mem.memoryTypes[type].propertyFlags & VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT)
			break;
	if (!m || !n || type == c->mem.memoryTypeCount) {
		note("no host-visible memory type, or nothing to keep");
		free(m);
		return 0;
	}
	for (i = 0; i < n && ok; i++) {
		VkMemoryAllocateInfo ai = {
			.sType = VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO,
			.allocationSize = KEPT_CHUNK,
			.memoryTypeIndex = type,
		};

		ok = check(vkAllocateMemory(c->dev, &ai, NULL, &m[i]), "vkAllocateMemory");
		if (ok) {
			made++;
			ok = map_pattern(c, m[i], type, 0, KEPT_CHUNK, ~(uint64_t)i, 1);
		}
	}
	note("type %u: %u allocations of %llu MiB written", type, made, KEPT_CHUNK >> 20);
	printf("VK-CHECK-HOLD\n");
	fflush(stdout);
	if (!fgets(line, sizeof(line), stdin))
		note("no line on stdin: reading back at once");
	for (i = 0; i < made; i++)
		good += map_pattern(c, m[i], type, 0, KEPT_CHUNK, ~(uint64_t)i, 0);
	note("type %u: %u of %u allocations read back intact", type, good, made);
	for (i = 0; i < made; i++)
		vkFreeMemory(c->dev, m[i], NULL);
	free(m);
	return ok && good == n;
}

/*
 * Per queue family: an empty command buffer with a fence, then a pipeline
 * barrier that signals timeline point 1, then a submission that waits for
 * point 2 (signalled later from the host: wait-before-signal) and signals
 * point 3.
 */
static void submit_family(struct ctx *c, uint32_t fam, int *fence_ok, int *timeline_ok)
{
	VkCommandPoolCreateInfo pci = {
		.sType = VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO,
		.queueFamilyIndex = fam,
	};
	VkCommandBufferAllocateInfo cai = {
		.sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO,
		.level = VK_COMMAND_BUFFER_LEVEL_PRIMARY,
		.commandBufferCount = 2,
	};
	VkCommandBufferBeginInfo begin = {
		.sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO,
	};
	VkMemoryBarrier mb = {
		.sType = VK_STRUCTURE_TYPE_MEMORY_BARRIER,
		.srcAccessMask = VK_ACCESS_MEMORY_WRITE_BIT,
		.dstAccessMask = VK_ACCESS_MEMORY_READ_BIT | VK_ACCESS_MEMORY_WRITE_BIT,
	};
	VkFenceCreateInfo fci = { .sType = VK_STRUCTURE_TYPE_FENCE_CREATE_INFO };
	VkSemaphoreTypeCreateInfo sti = {
		.sType = VK_STRUCTURE_TYPE_SEMAPHORE_TYPE_CREATE_INFO,
		.semaphoreType = VK_SEMAPHORE_TYPE_TIMELINE,
	};
	VkSemaphoreCreateInfo sci = {
		.sType = VK_STRUCTURE_TYPE_SEMAPHORE_CREATE_INFO,
		.pNext = &sti,
	};
	VkCommandPool pool = VK_NULL_HANDLE;
	VkCommandBuffer cb[2];
	VkFence fence = VK_NULL_HANDLE;
	VkSemaphore sem = VK_NULL_HANDLE;
	VkQueue q = c->queue[fam];
	int ok;

	ok = check(vkCreateCommandPool(c->dev, &pci, NULL, &pool), "vkCreateCommandPool");
	cai.commandPool = pool;
	ok = ok && check(vkAllocateCommandBuffers(c->dev, &cai, cb), "vkAllocateCommandBuffers") &&
	     check(vkBeginCommandBuffer(cb[0], &begin), "vkBeginCommandBuffer") &&
	     check(vkEndCommandBuffer(cb[0]), "vkEndCommandBuffer") &&
	     check(vkBeginCommandBuffer(cb[1], &begin), "vkBeginCommandBuffer");
	if (ok) {
		VkPipelineStageFlags all = VK_PIPELINE_STAGE_ALL_COMMANDS_BIT;

		vkCmdPipelineBarrier(cb[1], all, all, 0, 1, &mb, 0, NULL, 0, NULL);
		ok = check(vkEndCommandBuffer(cb[1]), "vkEndCommandBuffer") &&
		     check(vkCreateFence(c->dev, &fci, NULL, &fence), "vkCreateFence");
	}
	if (ok) {
		VkSubmitInfo si = {
			.sType = VK_STRUCTURE_TYPE_SUBMIT_INFO,
			.commandBufferCount = 1,
			.pCommandBuffers = &cb[0],
		};

		ok = check(vkQueueSubmit(q, 1, &si, fence), "vkQueueSubmit (empty)") &&
		     check(vkWaitForFences(c->dev, 1, &fence, VK_TRUE, 10 * SECOND),
			   "vkWaitForFences (empty)") &&
		     check(vkGetFenceStatus(c->dev, fence), "vkGetFenceStatus") &&
		     check(vkResetFences(c->dev, 1, &fence), "vkResetFences");
		note("family %u: empty command buffer submitted, fence signalled: %s", fam,
		     ok ? "ok" : "FAILED");
	}
	*fence_ok &= ok;
	if (ok && c->timeline) {
		const uint64_t one = 1, two = 2, three = 3;
		VkPipelineStageFlags stage = VK_PIPELINE_STAGE_ALL_COMMANDS_BIT;
		VkTimelineSemaphoreSubmitInfo ts1 = {
			.sType = VK_STRUCTURE_TYPE_TIMELINE_SEMAPHORE_SUBMIT_INFO,
			.signalSemaphoreValueCount = 1,
			.pSignalSemaphoreValues = &one,
		}, ts2 = {
			.sType = VK_STRUCTURE_TYPE_TIMELINE_SEMAPHORE_SUBMIT_INFO,
			.waitSemaphoreValueCount = 1,
			.pWaitSemaphoreValues = &two,
			.signalSemaphoreValueCount = 1,
			.pSignalSemaphoreValues = &three,
		};
		VkSubmitInfo si[2] = { {
			.sType = VK_STRUCTURE_TYPE_SUBMIT_INFO,
			.pNext = &ts1,
			.commandBufferCount = 1,
			.pCommandBuffers = &cb[1],
			.signalSemaphoreCount = 1,
			.pSignalSemaphores = &sem,
		}, {
			.sType = VK_STRUCTURE_TYPE_SUBMIT_INFO,
			.pNext = &ts2,
			.waitSemaphoreCount = 1,
			.pWaitSemaphores = &sem,
			.pWaitDstStageMask = &stage,
			.commandBufferCount = 1,
			.pCommandBuffers = &cb[0],
			.signalSemaphoreCount = 1,
			.pSignalSemaphores = &sem,
		} };
		VkSemaphoreWaitInfo wi = {
			.sType = VK_STRUCTURE_TYPE_SEMAPHORE_WAIT_INFO,
			.semaphoreCount = 1,
			.pSemaphores = &sem,
			.pValues = &one,
		};
		VkSemaphoreSignalInfo sig = {
			.sType = VK_STRUCTURE_TYPE_SEMAPHORE_SIGNAL_INFO,
			.semaphore = VK_NULL_HANDLE,
			.value = 2,
		};
		uint64_t v = 0;

		ok = check(vkCreateSemaphore(c->dev, &sci, NULL, &sem), "vkCreateSemaphore") &&
		     check(vkQueueSubmit(q, 1, &si[0], VK_NULL_HANDLE), "vkQueueSubmit (1)") &&
		     check(c->wait_semaphores(c->dev, &wi, 10 * SECOND), "vkWaitSemaphores (1)") &&
		     check(c->counter_value(c->dev, sem, &v), "vkGetSemaphoreCounterValue");
		if (ok && v != 1) {
			note("timeline at %" PRIu64 " after point 1, before any other signal", v);
			ok = 0;
		}
		note("family %u: pipeline barrier signalled timeline point 1: %s", fam,
		     ok ? "ok" : "FAILED");
		if (ok) {
			/* The second submission waits for a point only the host will signal. */
			ok = check(vkQueueSubmit(q, 1, &si[1], fence), "vkQueueSubmit (wait 2)");
			sig.semaphore = sem;
			if (ok && vkGetFenceStatus(c->dev, fence) != VK_NOT_READY) {
				note("the fence signalled before its wait point");
				ok = 0;
			}
			ok = ok && check(c->signal_semaphore(c->dev, &sig), "vkSignalSemaphore");
			wi.pValues = &three;
			ok = ok && check(c->wait_semaphores(c->dev, &wi, 10 * SECOND),
					 "vkWaitSemaphores (3)") &&
			     check(vkWaitForFences(c->dev, 1, &fence, VK_TRUE, 10 * SECOND),
				   "vkWaitForFences (3)") &&
			     check(c->counter_value(c->dev, sem, &v), "vkGetSemaphoreCounterValue");
			if (ok && v != 3) {
				note("timeline at %" PRIu64 ", not 3", v);
				ok = 0;
			}
			note("family %u: waited for host-set point 2, signalled 3 and fence: %s",
			     fam, ok ? "ok" : "FAILED");
		}
		*timeline_ok &= ok;
	}
	if (!check(vkQueueWaitIdle(q), "vkQueueWaitIdle"))
		*fence_ok = 0;
	vkDestroySemaphore(c->dev, sem, NULL);
	vkDestroyFence(c->dev, fence, NULL);
	vkDestroyCommandPool(c->dev, pool, NULL);
}

int main(int argc, char **argv)
{
	struct ctx c = { .max_size = 256 << 20 };
	int ok, fence_ok = 1, timeline_ok = 1;
	uint32_t i;

	if (argc == 3 && !strcmp(argv[1], "-m")) {
		c.max_size = strtoull(argv[2], NULL, 0) << 20;
	} else if (argc == 3 && !strcmp(argv[1], "-k")) {
		c.kept_mib = strtoull(argv[2], NULL, 0);
	} else if (argc != 1) {
		fprintf(stderr, "usage: %s [-m MAX_MIB | -k MIB]\n", argv[0]);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!subtest("instance", create_instance(&c)))
		return 1;
	if (!subtest("physical-device", physical_device(&c)) ||
	    !subtest("queue-families", queue_families(&c)) ||
	    !subtest("device", device(&c)))
		goto out;
	if (c.kept_mib)
		subtest("memory-kept", memory_kept(&c));
	else
		subtest("memory", memory(&c));
	for (i = 0; i < c.nfam; i++)
		submit_family(&c, i, &fence_ok, &timeline_ok);
	subtest("submit-empty-fence", fence_ok);
	if (c.timeline)
		subtest("barrier-timeline-semaphore", timeline_ok);
	else
		printf("Subtest barrier-timeline-semaphore: SKIP\n");
	ok = check(vkDeviceWaitIdle(c.dev), "vkDeviceWaitIdle");
	vkDestroyDevice(c.dev, NULL);
	subtest("teardown", ok);
out:
	vkDestroyInstance(c.inst, NULL);
	return failed;
}
