// SPDX-License-Identifier: GPL-2.0-only
/*
 * vgpu-doctor: IOMMU groups and whether VFIO can take them.
 *
 * VFIO gives a group to a user only when no device of it is used by a
 * host driver that does DMA on its own: every device must be bound to
 * vfio-pci (or a vfio-pci variant driver) or be unbound; pci-stub and
 * pcieport declare driver_managed_dma and may stay.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "doctor.h"

bool driver_is_vfio(const char *driver)
{
	return strstr(driver, "vfio");
}

static bool driver_allowed(const char *driver)
{
	return !driver[0] || driver_is_vfio(driver) || !strcmp(driver, "pci-stub") ||
		!strcmp(driver, "pcieport");
}

/* "0x10de" -> "10de" */
static void read_hex_attr(const char *dir, const char *attr, char *buf, size_t size)
{
	char val[16];

	buf[0] = '\0';
	if (read_attr(dir, attr, val, sizeof(val)))
		snprintf(buf, size, "%s", strncmp(val, "0x", 2) ? val : val + 2);
}

static void read_gdev(const char *dir, const char *name, struct gdev *v)
{
	memset(v, 0, sizeof(*v));
	snprintf(v->name, sizeof(v->name), "%s", name);
	read_attr_link(dir, "driver", v->driver, sizeof(v->driver));
	read_attr_link(dir, "mdev_type", v->mdev_type, sizeof(v->mdev_type));
	if (!read_attr_link(dir, "subsystem", v->bus, sizeof(v->bus))) {
		char *vendor = xasprintf("%s/vendor", dir);

		/* older trees without the link: PCI devices have IDs, mdevs a type */
		if (path_exists(vendor))
			snprintf(v->bus, sizeof(v->bus), "pci");
		else if (v->mdev_type[0])
			snprintf(v->bus, sizeof(v->bus), "mdev");
		free(vendor);
	}
	if (!strcmp(v->bus, "pci")) {
		read_hex_attr(dir, "vendor", v->vendor, sizeof(v->vendor));
		read_hex_attr(dir, "device", v->device, sizeof(v->device));
		read_hex_attr(dir, "class", v->class_code, sizeof(v->class_code));
	}
}

void gather_groups(struct doctor *d)
{
	char *root = sys_path(d, "kernel/iommu_groups");
	size_t n, i, k;
	char **ids = list_dir(root, &n);

	d->groups = xmalloc((n ? n : 1) * sizeof(*d->groups));
	d->ngroups = 0;
	for (i = 0; ids && i < n; i++) {
		struct iommu_group *g = &d->groups[d->ngroups];
		char *end, *gdir, *p, **devs;
		size_t nd;
		long id = strtol(ids[i], &end, 10);

		if (*end || end == ids[i] || id < 0)
			continue;	/* not a group directory */
		memset(g, 0, sizeof(*g));
		g->id = (int)id;
		gdir = xasprintf("%s/%s", root, ids[i]);
		read_attr(gdir, "name", g->name, sizeof(g->name));
		read_attr(gdir, "type", g->type, sizeof(g->type));
		p = xasprintf("%s/devices", gdir);
		devs = list_dir(p, &nd);
		g->devs = xmalloc((nd ? nd : 1) * sizeof(*g->devs));
		for (k = 0; devs && k < nd; k++) {
			char *ddir = xasprintf("%s/%s", p, devs[k]);

			read_gdev(ddir, devs[k], &g->devs[g->ndevs++]);
			free(ddir);
		}
		free_list(devs, nd);
		free(p);
		free(gdir);
		d->ngroups++;
	}
	free_list(ids, n);
	free(root);
}

static const struct iommu_group *find_group(const struct doctor *d, int id)
{
	size_t i;

	for (i = 0; i < d->ngroups; i++)
		if (d->groups[i].id == id)
			return &d->groups[i];
	return NULL;
}

static char *append(char *list, const char *sep, char *item)
{
	char *s = xasprintf("%s%s%s", list ? list : "", list ? sep : "", item);

	free(list);
	free(item);
	return s;
}

/* "0000:0a:00.1 (10de:10f0) on snd_hda_intel" */
static char *describe(const struct gdev *v)
{
	if (v->vendor[0])
		return xasprintf("%s (%s:%s) on %s", v->name, v->vendor, v->device,
				 v->driver[0] ? v->driver : "no driver");
	return xasprintf("%s on %s", v->name, v->driver[0] ? v->driver : "no driver");
}

/* The devices of G that keep VFIO from taking it, or NULL. */
static char *blockers(const struct iommu_group *g, char **ids)
{
	char *list = NULL;
	size_t k;

	*ids = NULL;
	for (k = 0; k < g->ndevs; k++) {
		const struct gdev *v = &g->devs[k];

		if (driver_allowed(v->driver))
			continue;
		list = append(list, ", ", describe(v));
		if (v->vendor[0])
			*ids = append(*ids, ",", xasprintf("%s:%s", v->vendor, v->device));
	}
	return list;
}

static void fix_group(struct check *c, const struct iommu_group *g, const char *ids)
{
	const struct gdev *first = NULL;
	size_t k;

	for (k = 0; k < g->ndevs && !first; k++)
		if (!driver_allowed(g->devs[k].driver))
			first = &g->devs[k];
	check_fix(c,
		  "give the whole group %d to vfio-pci: add %s to vfio-pci.ids= on the kernel command line, or at run time: echo vfio-pci > /sys/bus/pci/devices/%s/driver_override; echo %s > /sys/bus/pci/devices/%s/driver/unbind; echo %s > /sys/bus/pci/drivers_probe (every device of a group goes to the same VM)",
		  g->id, ids ? ids : "their IDs", first ? first->name : "BDF",
		  first ? first->name : "BDF", first ? first->name : "BDF",
		  first ? first->name : "BDF");
}

void check_vfio_groups(struct doctor *d)
{
	char *good = NULL;
	bool any = false;
	size_t i, k;

	for (i = 0; i < d->ngroups; i++) {
		const struct iommu_group *g = &d->groups[i];
		const struct gdev *owner = NULL;
		char *bad, *ids;
		struct check *c;

		for (k = 0; k < g->ndevs && !owner; k++)
			if (!strcmp(g->devs[k].bus, "pci") && driver_is_vfio(g->devs[k].driver))
				owner = &g->devs[k];
		if (!owner)
			continue;
		any = true;
		bad = blockers(g, &ids);
		if (!bad) {
			good = append(good, ", ", xasprintf("%d", g->id));
			continue;
		}
		c = check_add(d, "vfio-groups", V_FAIL,
			      "IOMMU group %d is only partly given to VFIO: %s is on %s, but %s; VFIO cannot use the group",
			      g->id, owner->name, owner->driver, bad);
		fix_group(c, g, ids);
		free(bad);
		free(ids);
	}
	if (good)
		check_add(d, "vfio-groups", V_OK,
			  "every device of IOMMU group%s %s is on vfio-pci, unbound or a bridge on pcieport",
			  strchr(good, ',') ? "s" : "", good);
	else if (!any)
		check_add(d, "vfio-groups", V_SKIP, "no PCI device is bound to vfio-pci");
	free(good);
}

void check_device(struct doctor *d, const char *bdf)
{
	char *dir = sys_path(d, "bus/pci/devices/%s", bdf), *name, *bad, *ids, *list = NULL;
	const struct iommu_group *g;
	char gid[32], *end;
	struct gdev self;
	struct check *c;
	size_t k;
	long id;

	name = xasprintf("device:%s", bdf);
	if (!is_dir(dir)) {
		c = check_add(d, name, V_FAIL, "no PCI device %s (%s does not exist)", bdf, dir);
		check_fix(c,
			  "give the full address as lspci -D shows it, for example 0000:01:00.0");
		goto out;
	}
	read_gdev(dir, bdf, &self);
	if (!read_attr_link(dir, "iommu_group", gid, sizeof(gid))) {
		c = check_add(d, name, V_FAIL,
			      "%s (%s:%s) is in no IOMMU group: without an IOMMU it cannot be passed through",
			      bdf, self.vendor, self.device);
		check_fix(c, "turn the IOMMU on (see the iommu-* checks)");
		goto out;
	}
	id = strtol(gid, &end, 10);
	g = *end ? NULL : find_group(d, (int)id);
	if (!g) {
		c = check_add(d, name, V_FAIL,
			      "%s links to IOMMU group '%s', which %s/kernel/iommu_groups does not have",
			      bdf, gid, d->sysfs);
		check_fix(c, "sysfs is inconsistent: run again, and report it if it stays so");
		goto out;
	}
	bad = blockers(g, &ids);
	if (bad) {
		c = check_add(d, name, V_FAIL,
			      "IOMMU group %d of %s is not viable: %s; VFIO needs every device of the group on vfio-pci or unbound (bridges may stay on pcieport)",
			      g->id, bdf, bad);
		fix_group(c, g, ids);
		free(bad);
		free(ids);
		goto out;
	}
	for (k = 0; k < g->ndevs; k++) {
		const struct gdev *v = &g->devs[k];
		const char *bridge = strcmp(v->driver, "pcieport") ? "" : " (bridge)";

		list = append(list, ", ", xasprintf("%s %s%s", v->name,
						    v->driver[0] ? v->driver : "unbound", bridge));
	}
	if (!driver_is_vfio(self.driver)) {
		c = check_add(d, name, V_WARN,
			      "%s (%s:%s) is not bound to vfio-pci yet; group %d is otherwise ready: %s",
			      bdf, self.vendor, self.device, g->id, list);
		check_fix(c,
			  "bind it to vfio-pci (echo vfio-pci > /sys/bus/pci/devices/%s/driver_override; echo %s > /sys/bus/pci/drivers_probe), or let libvirt do it (<hostdev managed='yes'>)",
			  bdf, bdf);
	} else {
		check_add(d, name, V_OK,
			  "%s (%s:%s) is on %s and IOMMU group %d is viable: %s",
			  bdf,
			  self.vendor, self.device, self.driver, g->id, list);
	}
	free(list);
out:
	free(name);
	free(dir);
}
