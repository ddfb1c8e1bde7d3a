// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright 2026 The panthor-reclaim authors
 */

/**
 * DOC: debugfs
 *
 * Under /sys/kernel/debug/dri/<minor>/:
 *  - gems: the resident pages of userspace's BOs by reclaim state, then
 *    every BO each open file has a handle to, with its memory state
 *    (resident, pins, CPU and GPU mappings, reclaim state, evictions), and
 *    a last line of totals in bytes (size, resident, reclaimable, evicted);
 *  - gpuvas: the mappings of every VM of every open file;
 *  - sched: the firmware's CSG slots and what runs on them, the groups
 *    waiting for one, the address spaces, the power state, resets done;
 *  - reclaim: the shrinker's counts and statistics (pages evictable,
 *    evicted, restored; scans, BOs skipped as busy, scan time);
 *  - shrink: write N to scan N pages for reclaim (0: all of them), read
 *    what the last scan looked at and freed;
 *  - reclaim_client (write-only): a pid, or "client N": evict the idle
 *    BOs of that process's (or that one) DRM file now;
 *  - reset (write-only): reset the GPU as if its firmware had hung.
 * Everything is a snapshot for debugging: counters are read without the
 * locks that order them.
 */

#include <linux/debugfs.h>
#include <linux/kstrtox.h>
#include <linux/pid.h>
#include <linux/rcupdate.h>
#include <linux/seq_file.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <drm/drm_debugfs.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_print.h>

#include "device.h"
#include "drv.h"
#include "reclaim.h"
#include "sched.h"
#include "vm.h"

static const char * const prc_group_state_names[] = {
	[PRC_GROUP_NEW] = "new",
	[PRC_GROUP_ACTIVE] = "active",
	[PRC_GROUP_SUSPENDED] = "suspended",
	[PRC_GROUP_DEAD] = "dead",
};

static void prc_debugfs_client(struct seq_file *m, struct drm_file *file)
{
	struct pid *pid;

	rcu_read_lock();
	pid = rcu_dereference(file->pid);
	seq_printf(m, "client %llu (pid %d)\n", file->client_id, pid_nr(pid));
	rcu_read_unlock();
}

/*
 * The last line of "gems": userspace's BOs in bytes, in the format upstream
 * panthor's file ends with (tools parse it), then what only we have.
 */
static void prc_debugfs_gem_totals(struct seq_file *m, struct prc_gem_lru *lru)
{
	unsigned long resident = 0, reclaimable = 0;
	int i;

	for (i = 0; i < PRC_GEM_NR_RECLAIM_STATES; i++) {
		resident += prc_gem_lru_pages(lru, i);
		if (i != PRC_GEM_UNRECLAIMABLE)
			reclaimable += prc_gem_lru_pages(lru, i);
	}
	seq_printf(m, "Total size: %lu, Total resident: %lu, Total reclaimable: %lu, Total evicted: %lu\n",
		   atomic_long_read(&lru->size_pages) << PAGE_SHIFT, resident << PAGE_SHIFT,
		   reclaimable << PAGE_SHIFT, atomic_long_read(&lru->out_pages) << PAGE_SHIFT);
}

static int prc_debugfs_gems(struct seq_file *m, void *data)
{
	struct drm_debugfs_entry *entry = m->private;
	struct drm_device *drm = entry->dev;
	struct drm_printer p = drm_seq_file_printer(m);
	struct drm_gem_object *obj;
	struct drm_file *file;
	struct prc_gem_lru *lru = &container_of(drm, struct prc_device, base)->gem_lru;
	int handle;

	/* What reclaim sees: userspace's resident BOs by state (kernel BOs left out). */
	seq_printf(m, "reclaim: pages unreclaimable %lu unused %lu mmapped %lu gpu %lu shared %lu purgeable %lu discardable %lu\n",
		   prc_gem_lru_pages(lru, PRC_GEM_UNRECLAIMABLE),
		   prc_gem_lru_pages(lru, PRC_GEM_UNUSED),
		   prc_gem_lru_pages(lru, PRC_GEM_MMAPPED),
		   prc_gem_lru_pages(lru, PRC_GEM_GPU_MAPPED),
		   prc_gem_lru_pages(lru, PRC_GEM_SHARED),
		   prc_gem_lru_pages(lru, PRC_GEM_PURGEABLE),
		   prc_gem_lru_pages(lru, PRC_GEM_DISCARDABLE));
	mutex_lock(&drm->filelist_mutex);
	list_for_each_entry(file, &drm->filelist, lhead) {
		prc_debugfs_client(m, file);
		spin_lock(&file->table_lock);
		idr_for_each_entry(&file->object_idr, obj, handle) {
			seq_printf(m, "  handle %d: %zu bytes, %s\n", handle, obj->size,
				   obj->import_attach ? "imported" :
				   obj->dma_buf ? "exported" : "private to the device");
			obj->funcs->print_info(&p, 2, obj);
		}
		spin_unlock(&file->table_lock);
	}
	mutex_unlock(&drm->filelist_mutex);
	prc_debugfs_gem_totals(m, lru);
	return 0;
}

static int prc_debugfs_gpuvas(struct seq_file *m, void *data)
{
	struct drm_debugfs_entry *entry = m->private;
	struct drm_device *drm = entry->dev;
	struct drm_file *file;
	unsigned long id;
	struct prc_vm *vm;

	mutex_lock(&drm->filelist_mutex);
	list_for_each_entry(file, &drm->filelist, lhead) {
		struct prc_file *pfile = file->driver_priv;

		prc_debugfs_client(m, file);
		xa_for_each(&pfile->vms.xa, id, vm) {
			vm = prc_vm_pool_get(&pfile->vms, id);
			if (!vm)
				continue;
			seq_printf(m, "VM %lu (address space %d%s):\n", id, vm->as,
				   READ_ONCE(vm->unusable) ? ", unusable" : "");
			mutex_lock(&vm->op_lock);
			drm_debugfs_gpuva_info(m, &vm->base);
			mutex_unlock(&vm->op_lock);
			prc_vm_put(vm);
		}
	}
	mutex_unlock(&drm->filelist_mutex);
	return 0;
}

static void prc_debugfs_group(struct seq_file *m, struct prc_group *group)
{
	seq_printf(m, "group %p: %s, priority %u, %u queues%s%s%s\n", group,
		   prc_group_state_names[group->state], group->priority, group->queue_count,
		   group->idle ? ", idle" : "", group->timedout ? ", timed out" : "",
		   group->fatal_queues ? ", failed" : "");
}

static int prc_debugfs_sched(struct seq_file *m, void *data)
{
	struct drm_debugfs_entry *entry = m->private;
	struct prc_device *pdev = container_of(entry->dev, struct prc_device, base);
	struct prc_sched *sched = &pdev->sched;
	struct prc_group *group;
	u32 s, as;

	mutex_lock(&sched->lock);
	seq_printf(m, "firmware: %u CSG slots of %u streams; GPU %s%s; %d resets\n",
		   pdev->fw.csg_count, pdev->fw.cs_count,
		   sched->powered ? "held powered" : "free to sleep",
		   sched->suspended ? ", suspended" : "", atomic_read(&sched->resets));
	for (s = 0; s < pdev->fw.csg_count; s++) {
		seq_printf(m, "slot %u: ", s);
		if (sched->slots[s])
			prc_debugfs_group(m, sched->slots[s]);
		else
			seq_puts(m, "free\n");
	}
	seq_printf(m, "waiting for a slot: %zu\n", list_count_nodes(&sched->waiting));
	list_for_each_entry(group, &sched->waiting, node) {
		seq_puts(m, "  ");
		prc_debugfs_group(m, group);
	}
	for (as = 1; as < sched->as_count; as++)
		seq_printf(m, "address space %u: %s, %u groups running in it\n", as,
			   sched->as_vm[as] ? "bound" : "free", sched->as_users[as]);
	mutex_unlock(&sched->lock);
	return 0;
}

/* Writing anything to "reset" resets the GPU, as when its firmware hangs. */
static ssize_t prc_debugfs_reset_write(struct file *f, const char __user *buf, size_t len,
				       loff_t *ppos)
{
	struct prc_device *pdev = f->private_data;

	prc_sched_schedule_reset(pdev);
	flush_work(&pdev->sched.reset_work);
	return len;
}

static const struct file_operations prc_debugfs_reset_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = prc_debugfs_reset_write,
};

static int prc_debugfs_reclaim(struct seq_file *m, void *data)
{
	struct drm_debugfs_entry *entry = m->private;

	prc_reclaim_show(&container_of(entry->dev, struct prc_device, base)->reclaim, m);
	return 0;
}

/* Reading "shrink": what the last scan looked at and gave back, in pages. */
static int prc_debugfs_shrink_show(struct seq_file *m, void *data)
{
	struct prc_reclaim *rc = m->private;

	seq_printf(m, "scanned %ld freed %ld\n", atomic_long_read(&rc->last_scanned),
		   atomic_long_read(&rc->last_freed));
	return 0;
}

static int prc_debugfs_shrink_open(struct inode *inode, struct file *f)
{
	return single_open(f, prc_debugfs_shrink_show, inode->i_private);
}

/*
 * Writing N to "shrink" runs a scan of N pages (0: of everything), whether
 * or not there is swap to take the pages: for tests and measurements. It
 * waits for a scan of the kernel's reclaim in progress, so that the write
 * always scans.
 */
static ssize_t prc_debugfs_shrink_write(struct file *f, const char __user *buf, size_t len,
					loff_t *ppos)
{
	struct prc_reclaim *rc = file_inode(f)->i_private;
	unsigned long pages;
	long freed;
	int ret;

	ret = kstrtoul_from_user(buf, len, 0, &pages);
	if (ret)
		return ret;
	freed = prc_reclaim_scan_wait(rc, pages ?: ULONG_MAX);
	return freed < 0 ? freed : len;
}

/*
 * Writing a pid to "reclaim_client" evicts the idle BOs of every DRM file
 * that process opened on this device; "client N" names one file by its DRM
 * client id (as "gems" lists them). -ESRCH when no file matches.
 */
static ssize_t prc_debugfs_reclaim_client_write(struct file *f, const char __user *buf,
						size_t len, loff_t *ppos)
{
	struct prc_device *pdev = file_inode(f)->i_private;
	struct drm_device *drm = &pdev->base;
	bool by_client = false;
	struct drm_file *file;
	char kbuf[32], *arg;
	int matched = 0;
	u64 id;

	if (!len || len >= sizeof(kbuf))
		return -EINVAL;
	if (copy_from_user(kbuf, buf, len))
		return -EFAULT;
	kbuf[len] = '\0';
	arg = strim(kbuf);
	if (str_has_prefix(arg, "client ")) {
		by_client = true;
		arg = skip_spaces(arg + strlen("client "));
	}
	if (kstrtou64(arg, 0, &id))
		return -EINVAL;

	mutex_lock(&drm->filelist_mutex);
	list_for_each_entry(file, &drm->filelist, lhead) {
		bool match;

		if (by_client) {
			match = file->client_id == id;
		} else {
			rcu_read_lock();
			match = pid_nr(rcu_dereference(file->pid)) == id;
			rcu_read_unlock();
		}
		if (match) {
			prc_reclaim_client(&pdev->reclaim, file);
			matched++;
		}
	}
	mutex_unlock(&drm->filelist_mutex);
	return matched ? len : -ESRCH;
}

static const struct file_operations prc_debugfs_reclaim_client_fops = {
	.owner = THIS_MODULE,
	.write = prc_debugfs_reclaim_client_write,
};

static const struct file_operations prc_debugfs_shrink_fops = {
	.owner = THIS_MODULE,
	.open = prc_debugfs_shrink_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
	.write = prc_debugfs_shrink_write,
};

static const struct drm_debugfs_info prc_debugfs_files[] = {
	{ "gems", prc_debugfs_gems, 0 },
	{ "reclaim", prc_debugfs_reclaim, 0 },
	{ "gpuvas", prc_debugfs_gpuvas, 0 },
	{ "sched", prc_debugfs_sched, 0 },
};

/**
 * prc_debugfs_init() - &drm_driver.debugfs_init: add our files
 * @minor: the DRM minor being registered
 */
void prc_debugfs_init(struct drm_minor *minor)
{
	struct prc_device *pdev = container_of(minor->dev, struct prc_device, base);

	drm_debugfs_add_files(minor->dev, prc_debugfs_files, ARRAY_SIZE(prc_debugfs_files));
	debugfs_create_file("reset", 0200, minor->debugfs_root, pdev, &prc_debugfs_reset_fops);
	debugfs_create_file("shrink", 0600, minor->debugfs_root, &pdev->reclaim,
			    &prc_debugfs_shrink_fops);
	debugfs_create_file("reclaim_client", 0200, minor->debugfs_root, pdev,
			    &prc_debugfs_reclaim_client_fops);
}
