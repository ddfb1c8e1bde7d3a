/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Mali-G610 model on the "virt" board: device creation and device tree.
 *
 * The node carries what panthor's binding requires, so that an unmodified
 * driver probes: MMIO window, "job"/"mmu"/"gpu" level interrupts, a core
 * clock, a "mali-supply" regulator (regulator-fixed) and an
 * operating-points-v2 table whose one OPP matches the fixed clock and supply.
 *
 * Copyright 2026 The panthor-reclaim authors
 */
#include "qemu/osdep.h"
#include "qapi/error.h"
#include "hw/arm/fdt.h"
#include "hw/sysbus.h"
#include "system/device_tree.h"
#include "mali.h"
#include "mali-virt.h"

#define MALI_VIRT_MICROVOLT     750000

/* The clock, supply and OPP table nodes the GPU node points to. */
static void mali_virt_fdt_support_nodes(void *fdt, uint32_t *clk, uint32_t *supply,
                                        uint32_t *opp)
{
    char *name;

    *clk = qemu_fdt_alloc_phandle(fdt);
    *supply = qemu_fdt_alloc_phandle(fdt);
    *opp = qemu_fdt_alloc_phandle(fdt);

    qemu_fdt_add_subnode(fdt, "/mali-gpu-clk");
    qemu_fdt_setprop_string(fdt, "/mali-gpu-clk", "compatible", "fixed-clock");
    qemu_fdt_setprop_cell(fdt, "/mali-gpu-clk", "#clock-cells", 0);
    qemu_fdt_setprop_cell(fdt, "/mali-gpu-clk", "clock-frequency", MALI_GPU_CLOCK_HZ);
    qemu_fdt_setprop_string(fdt, "/mali-gpu-clk", "clock-output-names", "gpu_core");
    qemu_fdt_setprop_cell(fdt, "/mali-gpu-clk", "phandle", *clk);

    qemu_fdt_add_subnode(fdt, "/mali-gpu-supply");
    qemu_fdt_setprop_string(fdt, "/mali-gpu-supply", "compatible", "regulator-fixed");
    qemu_fdt_setprop_string(fdt, "/mali-gpu-supply", "regulator-name", "vdd_gpu");
    qemu_fdt_setprop_cell(fdt, "/mali-gpu-supply", "regulator-min-microvolt",
                          MALI_VIRT_MICROVOLT);
    qemu_fdt_setprop_cell(fdt, "/mali-gpu-supply", "regulator-max-microvolt",
                          MALI_VIRT_MICROVOLT);
    qemu_fdt_setprop(fdt, "/mali-gpu-supply", "regulator-always-on", NULL, 0);
    qemu_fdt_setprop_cell(fdt, "/mali-gpu-supply", "phandle", *supply);

    qemu_fdt_add_subnode(fdt, "/mali-gpu-opp-table");
    qemu_fdt_setprop_string(fdt, "/mali-gpu-opp-table", "compatible", "operating-points-v2");
    qemu_fdt_setprop_cell(fdt, "/mali-gpu-opp-table", "phandle", *opp);
    name = g_strdup_printf("/mali-gpu-opp-table/opp-%llu", MALI_GPU_CLOCK_HZ);
    qemu_fdt_add_subnode(fdt, name);
    qemu_fdt_setprop_u64(fdt, name, "opp-hz", MALI_GPU_CLOCK_HZ);
    qemu_fdt_setprop_cell(fdt, name, "opp-microvolt", MALI_VIRT_MICROVOLT);
    g_free(name);
}

void mali_virt_create(MachineState *ms, DeviceState *gic)
{
    const char compat[] = "rockchip,rk3588-mali\0arm,mali-valhall-csf";
    const char irq_names[] = "job\0mmu\0gpu";
    void *fdt = ms->fdt;
    uint32_t clk, supply, opp;
    DeviceState *dev;
    char *node;

    dev = qdev_new(TYPE_MALI_G610);
    /* A fixed QOM path, /machine/mali, for the test hooks (qom-set). */
    object_property_add_child(OBJECT(ms), "mali", OBJECT(dev));
    sysbus_realize_and_unref(SYS_BUS_DEVICE(dev), &error_fatal);
    sysbus_mmio_map(SYS_BUS_DEVICE(dev), 0, MALI_VIRT_BASE);
    sysbus_connect_irq(SYS_BUS_DEVICE(dev), 0, qdev_get_gpio_in(gic, MALI_VIRT_SPI_JOB));
    sysbus_connect_irq(SYS_BUS_DEVICE(dev), 1, qdev_get_gpio_in(gic, MALI_VIRT_SPI_MMU));
    sysbus_connect_irq(SYS_BUS_DEVICE(dev), 2, qdev_get_gpio_in(gic, MALI_VIRT_SPI_GPU));

    mali_virt_fdt_support_nodes(fdt, &clk, &supply, &opp);

    node = g_strdup_printf("/gpu@%x", MALI_VIRT_BASE);
    qemu_fdt_add_subnode(fdt, node);
    qemu_fdt_setprop(fdt, node, "compatible", compat, sizeof(compat));
    qemu_fdt_setprop_sized_cells(fdt, node, "reg", 2, MALI_VIRT_BASE, 2, MALI_MMIO_SIZE);
    qemu_fdt_setprop_cells(fdt, node, "interrupts",
                           GIC_FDT_IRQ_TYPE_SPI, MALI_VIRT_SPI_JOB, GIC_FDT_IRQ_FLAGS_LEVEL_HI,
                           GIC_FDT_IRQ_TYPE_SPI, MALI_VIRT_SPI_MMU, GIC_FDT_IRQ_FLAGS_LEVEL_HI,
                           GIC_FDT_IRQ_TYPE_SPI, MALI_VIRT_SPI_GPU, GIC_FDT_IRQ_FLAGS_LEVEL_HI);
    qemu_fdt_setprop(fdt, node, "interrupt-names", irq_names, sizeof(irq_names));
    qemu_fdt_setprop_cell(fdt, node, "clocks", clk);
    qemu_fdt_setprop_string(fdt, node, "clock-names", "core");
    qemu_fdt_setprop_cell(fdt, node, "mali-supply", supply);
    qemu_fdt_setprop_cell(fdt, node, "operating-points-v2", opp);
    qemu_fdt_setprop_cell(fdt, node, "#cooling-cells", 2);
    g_free(node);
}
