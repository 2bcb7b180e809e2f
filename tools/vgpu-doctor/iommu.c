// SPDX-License-Identifier: GPL-2.0-only
/*
 * vgpu-doctor: is an IOMMU on? The kernel command line, the kernel log,
 * the IOMMUs registered in sysfs and the IOMMU groups.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "doctor.h"

/* what intel_iommu_init() prints once VT-d is on */
#define VTD_BANNER "DMAR: Intel(R) Virtualization Technology for Directed I/O"

/* "intel", "amd" or "": from the registered IOMMUs, else from the CPU */
static const char *iommu_vendor(const struct doctor *d)
{
	if (d->iommu_kind[0])
		return d->iommu_kind;
	if (!strcmp(d->cpu_vendor, "GenuineIntel"))
		return "intel";
	if (!strcmp(d->cpu_vendor, "AuthenticAMD") || !strcmp(d->cpu_vendor, "HygonGenuine"))
		return "amd";
	return "";
}

/* "ACTION the kernel command line (how to)EXTRA" */
static void fix_cmdline(struct check *c, const char *action, const char *extra)
{
	check_fix(c,
		  "%s the kernel command line (GRUB_CMDLINE_LINUX in /etc/default/grub, then update-grub)%s",
		  action, extra);
}

/* What to do when no IOMMU is active at all. */
static void fix_no_iommu(const struct doctor *d, struct check *c)
{
	const char *v = iommu_vendor(d);

	if (d->hypervisor)
		check_fix(c,
			  "this is a virtual machine: give it a virtual IOMMU (QEMU: -machine q35,kernel-irqchip=split -device intel-iommu,intremap=on); mediated devices alone work without one");
	else if (!strcmp(v, "intel"))
		fix_cmdline(c, "enable VT-d in the firmware setup and add intel_iommu=on to", "");
	else if (!strcmp(v, "amd"))
		check_fix(c,
			  "enable the IOMMU (AMD-Vi) in the firmware setup, and keep amd_iommu=off and iommu=off off the kernel command line");
	else
		check_fix(c,
			  "enable the IOMMU in the firmware setup and in the kernel configuration");
}

void gather_iommu(struct doctor *d)
{
	char *path = sys_path(d, "class/iommu");
	size_t n, i;
	char **names = list_dir(path, &n);

	free(path);
	d->hw_iommus = names ? n : 0;
	for (i = 0; names && i < n; i++) {
		if (!strncmp(names[i], "dmar", 4))
			snprintf(d->iommu_kind, sizeof(d->iommu_kind), "intel");
		else if (!strncmp(names[i], "ivhd", 4))
			snprintf(d->iommu_kind, sizeof(d->iommu_kind), "amd");
	}
	free_list(names, n);
}

/* Apply every comma separated option of every NAME=... in order. */
struct iommu_opts {
	int intel;		/* intel_iommu=on: 1, =off: 0, absent: -1 */
	bool amd_off, amd_on, iommu_off;
	int pt;			/* iommu=pt / iommu.passthrough=1: 1, nopt/0: 0, absent: -1 */
};

static bool opt_is(const char *opt, size_t len, const char *word)
{
	return len == strlen(word) && !strncmp(opt, word, len);
}

static void parse_opts(const char *cmdline, const char *name, struct iommu_opts *o)
{
	const char *from = NULL, *val;
	size_t len;

	while ((from = cmdline_next(cmdline, name, &val, &len, from))) {
		const char *p = val, *end = val + len;

		while (val && p < end) {
			const char *comma = memchr(p, ',', end - p);
			size_t n = (comma ? comma : end) - p;

			if (!strcmp(name, "intel_iommu") && opt_is(p, n, "on"))
				o->intel = 1;
			else if (!strcmp(name, "intel_iommu") && opt_is(p, n, "off"))
				o->intel = 0;
			else if (!strcmp(name, "amd_iommu") && opt_is(p, n, "off"))
				o->amd_off = true;
			else if (!strcmp(name, "amd_iommu") && opt_is(p, n, "on"))
				o->amd_on = true;
			else if (!strcmp(name, "iommu") && opt_is(p, n, "off"))
				o->iommu_off = true;
			else if (!strcmp(name, "iommu") && opt_is(p, n, "pt"))
				o->pt = 1;
			else if (!strcmp(name, "iommu") && opt_is(p, n, "nopt"))
				o->pt = 0;
			else if (!strcmp(name, "iommu.passthrough"))
				o->pt = opt_is(p, n, "1") || opt_is(p, n, "y");
			p += n + 1;
		}
	}
}

void check_iommu_cmdline(struct doctor *d)
{
	struct iommu_opts o = { .intel = -1, .pt = -1 };
	const char *vendor = iommu_vendor(d), *pt;
	struct check *c;

	if (!d->cmdline) {
		check_add(d, "iommu-cmdline", V_SKIP, "cannot read %s/cmdline", d->proc);
		return;
	}
	parse_opts(d->cmdline, "intel_iommu", &o);
	parse_opts(d->cmdline, "amd_iommu", &o);
	parse_opts(d->cmdline, "iommu", &o);
	parse_opts(d->cmdline, "iommu.passthrough", &o);
	if (o.pt == 1)
		pt = "; iommu=pt: host devices skip translation, VMs' devices are still isolated";
	else
		pt = "; iommu=pt is not set (optional: it spares host devices translation)";

	if (o.iommu_off) {
		c = check_add(d, "iommu-cmdline", V_FAIL, "iommu=off turns every IOMMU off");
		fix_cmdline(c, "remove iommu=off from", "");
		return;
	}
	if (!strcmp(vendor, "intel")) {
		if (o.intel == 0) {
			c = check_add(d, "iommu-cmdline", V_FAIL, "intel_iommu=off turns VT-d off");
			fix_cmdline(c, "replace intel_iommu=off by intel_iommu=on on", "");
		} else if (o.intel == 1) {
			check_add(d, "iommu-cmdline", V_OK, "intel_iommu=on%s", pt);
		} else if (d->hw_iommus) {
			c = check_add(d, "iommu-cmdline", V_WARN,
				      "intel_iommu=on is not set: the kernel turned VT-d on by default, but such kernels may leave integrated graphics untranslated (INTEL_IOMMU_DEFAULT_ON_INTGPU_OFF)%s",
				      pt);
			fix_cmdline(c,
				    "to be explicit, and for an integrated GPU, add intel_iommu=on to",
				    "");
		} else {
			c = check_add(d, "iommu-cmdline", V_FAIL,
				      "intel_iommu=on is not on the kernel command line and VT-d is off");
			fix_cmdline(c, "add intel_iommu=on to", "");
		}
		return;
	}
	if (!strcmp(vendor, "amd")) {
		if (o.amd_off) {
			c = check_add(d, "iommu-cmdline", V_FAIL, "amd_iommu=off turns AMD-Vi off");
			fix_cmdline(c, "remove amd_iommu=off from", "");
		} else if (o.amd_on) {
			c = check_add(d, "iommu-cmdline", V_WARN,
				      "amd_iommu=on is not a kernel option (the kernel logs \"AMD-Vi: Unknown option - 'on'\" and ignores it); AMD-Vi is on by default%s",
				      pt);
			fix_cmdline(c, "remove amd_iommu=on from", "; nothing replaces it");
		} else {
			check_add(d, "iommu-cmdline", V_OK,
				  "nothing turns AMD-Vi off (it is on by default)%s",
				  pt);
		}
		return;
	}
	check_add(d, "iommu-cmdline", V_SKIP, "no IOMMU options known for CPU vendor '%s'",
		  d->cpu_vendor[0] ? d->cpu_vendor : "unknown");
}

struct log_facts {
	const char *intel_on, *intel_off, *intel_table, *amd_on, *amd_err, *amd_table, *ir;
	bool boot;
	int added;
};

static void scan_log(const struct doctor *d, struct log_facts *f)
{
	static const char * const amd_on[] = {
		"AMD-Vi: Extended features", "AMD-Vi: Interrupt remapping enabled",
		"AMD-Vi: Found IOMMU", "AMD-Vi: IOMMU performance counters supported",
		"perf/amd_iommu: Detected AMD IOMMU",
	};
	size_t i, k;

	memset(f, 0, sizeof(*f));
	for (i = 0; i < d->nklog; i++) {
		const char *l = d->klog[i];

		if (strstr(l, "Linux version ") || strstr(l, "Command line: "))
			f->boot = true;
		if (strstr(l, "Adding to iommu group"))
			f->added++;
		if (!f->intel_on && strstr(l, VTD_BANNER))
			f->intel_on = l;
		if (!f->intel_off && strstr(l, "DMAR: IOMMU disabled"))
			f->intel_off = l;
		if (!f->intel_table && (strstr(l, "DMAR: Host address width") ||
					strstr(l, "DMAR: DRHD base") || strstr(l, "ACPI: DMAR ")))
			f->intel_table = l;
		if (!f->amd_table && strstr(l, "ACPI: IVRS "))
			f->amd_table = l;
		if (!f->amd_err && strstr(l, "AMD-Vi:") &&
		    (strstr(l, "IVRS table error") || strstr(l, "Failed to initialize")))
			f->amd_err = l;
		for (k = 0; !f->amd_on && k < ARRAY_SIZE(amd_on); k++)
			if (strstr(l, amd_on[k]))
				f->amd_on = l;
		if (!f->ir && (strstr(l, "DMAR-IR: Enabled IRQ remapping") ||
			       strstr(l, "AMD-Vi: Interrupt remapping enabled")))
			f->ir = l;
	}
}

void check_iommu_log(struct doctor *d)
{
	struct log_facts f;
	struct check *c;

	if (!d->klog) {
		check_add(d, "iommu-log", V_SKIP, "%s", d->klog_source);
		return;
	}
	scan_log(d, &f);
	if (f.intel_on || f.amd_on) {
		check_add(d, "iommu-log", V_OK,
			  "%s initialised (\"%s\"); interrupt remapping %s; %d devices added to IOMMU groups (%s)",
			  f.intel_on ? "Intel VT-d" : "AMD-Vi", f.intel_on ? f.intel_on : f.amd_on,
			  f.ir ? "enabled" : "not reported", f.added, d->klog_source);
		return;
	}
	if (f.amd_err) {
		c = check_add(d, "iommu-log", V_FAIL, "AMD-Vi failed: \"%s\" (%s)", f.amd_err,
			      d->klog_source);
		check_fix(c, "the firmware's IVRS table is broken: update the firmware");
	} else if (f.intel_off) {
		c = check_add(d, "iommu-log", V_FAIL,
			      "VT-d was turned off: \"%s\" (%s)",
			      f.intel_off,
			      d->klog_source);
		fix_cmdline(c, "replace intel_iommu=off by intel_iommu=on on", "");
	} else if (f.intel_table) {
		c = check_add(d, "iommu-log", V_FAIL,
			      "the firmware describes VT-d (\"%s\") but the kernel did not turn it on%s (%s)",
			      f.intel_table, f.ir ? "; only interrupt remapping is on" : "",
			      d->klog_source);
		fix_cmdline(c, "add intel_iommu=on to", "");
	} else if (f.amd_table) {
		c = check_add(d, "iommu-log", V_FAIL,
			      "the firmware describes AMD-Vi (\"%s\") but the kernel did not initialise it (%s)",
			      f.amd_table, d->klog_source);
		fix_cmdline(c, "remove amd_iommu=off or iommu=off from", "");
	} else if (!f.boot) {
		check_add(d, "iommu-log", V_SKIP,
			  "no DMAR or AMD-Vi messages, but the kernel log (%s) no longer reaches back to boot",
			  d->klog_source);
	} else {
		c = check_add(d, "iommu-log", V_FAIL,
			      "no DMAR or AMD-Vi messages since boot: the firmware describes no IOMMU (%s)",
			      d->klog_source);
		fix_no_iommu(d, c);
	}
}

void check_iommu_sysfs(struct doctor *d)
{
	char *path = sys_path(d, "class/iommu"), *list = NULL, *tmp;
	size_t n, i;
	char **names = list_dir(path, &n);
	struct check *c;

	for (i = 0; names && i < n; i++) {
		tmp = xasprintf("%s%s%s", list ? list : "", list ? ", " : "", names[i]);
		free(list);
		list = tmp;
	}
	if (list) {
		const char *kind = !strcmp(d->iommu_kind, "intel") ? " (Intel VT-d)" :
				   !strcmp(d->iommu_kind, "amd") ? " (AMD-Vi)" : "";

		check_add(d, "iommu-sysfs", V_OK,
			  "%zu IOMMU%s registered: %s%s",
			  n, n == 1 ? "" : "s",
			  list, kind);
	} else {
		c = check_add(d, "iommu-sysfs", V_FAIL, "no IOMMU is registered in %s", path);
		fix_no_iommu(d, c);
	}
	free(list);
	free_list(names, n);
	free(path);
}

void check_iommu_groups(struct doctor *d)
{
	size_t i, hw = 0, emulated = 0, devs = 0;
	struct check *c;

	for (i = 0; i < d->ngroups; i++) {
		if (!strcmp(d->groups[i].name, "vfio-noiommu")) {
			emulated++;
			continue;
		}
		hw++;
		devs += d->groups[i].ndevs;
	}
	if (hw) {
		check_add(d, "iommu-groups", V_OK, "%zu IOMMU groups with %zu devices%s", hw, devs,
			  emulated ? " (and groups of mediated devices)" : "");
		return;
	}
	if (emulated)
		c = check_add(d, "iommu-groups", V_FAIL,
			      "no IOMMU groups of devices: %s/kernel/iommu_groups has only the vfio-noiommu groups of mediated devices (%zu), which need no IOMMU",
			      d->sysfs, emulated);
	else
		c = check_add(d, "iommu-groups", V_FAIL,
			      "no IOMMU groups in %s/kernel/iommu_groups: no device can be passed through",
			      d->sysfs);
	fix_no_iommu(d, c);
}
