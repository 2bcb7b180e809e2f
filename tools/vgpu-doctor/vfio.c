// SPDX-License-Identifier: GPL-2.0-only
/*
 * vgpu-doctor: vfio-pci.ids=, the VFIO and mdev modules, the IOMMU backend
 * to use, mdev parents and their types.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "doctor.h"

#define PCI_ANY_ID 0xffffffffUL

#define MODULES_HINT "; to load it at every boot, list it in /etc/modules-load.d/vfio.conf"

static char *append(char *list, const char *sep, char *item)
{
	char *s = xasprintf("%s%s%s", list ? list : "", list ? sep : "", item);

	free(list);
	free(item);
	return s;
}

static bool read_id(const char *dir, const char *attr, unsigned long *val)
{
	char *path = xasprintf("%s/%s", dir, attr), buf[32], *end;
	bool ok = read_line(path, buf, sizeof(buf));

	free(path);
	if (!ok)
		return false;
	*val = strtoul(buf, &end, 16);
	return end != buf;
}

/* vendor:device[:subvendor[:subdevice[:class[:class_mask]]]], as vfio-pci parses it */
static bool parse_id(const char *s, size_t len, unsigned long f[6], int *nf)
{
	char buf[128], *p = buf, *end;

	if (len >= sizeof(buf))
		return false;
	memcpy(buf, s, len);
	buf[len] = '\0';
	for (*nf = 0; *nf < 6 && *p; (*nf)++) {
		if (!isxdigit((unsigned char)*p))
			return false;
		f[*nf] = strtoul(p, &end, 16);
		if (*end && *end != ':')
			return false;
		p = *end ? end + 1 : end;
	}
	return *nf >= 2 && !*p;
}

static bool id_matches(const char *dir, const unsigned long f[6], int nf)
{
	static const char * const attrs[] = { "vendor", "device", "subsystem_vendor",
					      "subsystem_device" };
	unsigned long v;
	int i;

	for (i = 0; i < nf && i < 4; i++) {
		if (f[i] == PCI_ANY_ID)
			continue;
		if (!read_id(dir, attrs[i], &v) || v != f[i])
			return false;
	}
	if (nf >= 5) {
		unsigned long mask = nf == 6 ? f[5] : 0;

		if (!read_id(dir, "class", &v) || (v & mask) != (f[4] & mask))
			return false;
	}
	return true;
}

void check_vfio_ids(struct doctor *d)
{
	const char *from = NULL, *val = NULL, *v;
	char *pcidir, *good = NULL, *bad = NULL, *missing = NULL, *unbound = NULL, *drivers = NULL;
	char **devs;
	size_t len = 0, l, n, i;
	struct check *c;
	bool found = false;
	int invalid = 0;

	if (!d->cmdline) {
		check_add(d, "vfio-pci-ids", V_SKIP, "cannot read %s/cmdline", d->proc);
		return;
	}
	/* a module parameter given twice: the last one counts */
	while ((from = cmdline_next(d->cmdline, "vfio_pci.ids", &v, &l, from))) {
		found = true;
		val = v;
		len = l;
	}
	if (!found) {
		check_add(d, "vfio-pci-ids", V_SKIP,
			  "no vfio-pci.ids= on the kernel command line (devices can also be bound at run time)");
		return;
	}
	if (!val || !len) {
		c = check_add(d, "vfio-pci-ids", V_WARN, "vfio-pci.ids= is empty");
		check_fix(c,
			  "list vendor:device IDs (lspci -nn), for example vfio-pci.ids=10de:1b80,10de:10f0");
		return;
	}
	pcidir = sys_path(d, "bus/pci/devices");
	devs = list_dir(pcidir, &n);
	for (const char *p = val, *end = val + len; p < end; ) {
		const char *comma = memchr(p, ',', end - p);
		size_t il = (comma ? comma : end) - p;
		unsigned long f[6];
		char *id = strndup(p, il);
		int nf, matched = 0;

		p += il + 1;
		if (!id)
			die("out of memory");
		if (!il) {
			free(id);
			continue;
		}
		if (!parse_id(id, il, f, &nf)) {
			c = check_add(d, "vfio-pci-ids", V_FAIL,
				      "vfio-pci.ids= has an invalid entry '%s' (vfio-pci rejects it)",
				      id);
			check_fix(c,
				  "use vendor:device in hex as lspci -nn shows them, for example 10de:1b80");
			invalid++;
			free(id);
			continue;
		}
		for (i = 0; devs && i < n; i++) {
			char *dir = xasprintf("%s/%s", pcidir, devs[i]), *lk, drv[64] = "";

			if (id_matches(dir, f, nf)) {
				matched++;
				read_attr_link(dir, "driver", drv, sizeof(drv));
				if (driver_is_vfio(drv)) {
					good = append(good, ", ",
						      xasprintf("%s -> %s", id, devs[i]));
				} else if (drv[0]) {
					lk = xasprintf("%s (%s) is on %s", devs[i], id, drv);
					bad = append(bad, ", ", lk);
					drivers = append(drivers, " ", xasprintf("%s", drv));
				} else {
					unbound = append(unbound, ", ",
							 xasprintf("%s (%s)", devs[i], id));
				}
			}
			free(dir);
		}
		if (!matched)
			missing = append(missing, ", ", xasprintf("%s", id));
		free(id);
	}
	free_list(devs, n);
	free(pcidir);
	if (bad) {
		c = check_add(d, "vfio-pci-ids", V_FAIL,
			      "vfio-pci.ids= lists devices that another driver claimed first: %s",
			      bad);
		check_fix(c,
			  "make vfio-pci load before the other driver: \"softdep %s pre: vfio-pci\" in /etc/modprobe.d/vfio.conf (or blacklist it), then update-initramfs -u and reboot",
			  drivers);
	} else if (unbound) {
		c = check_add(d, "vfio-pci-ids", V_WARN,
			      "devices from vfio-pci.ids= have no driver: %s",
			      unbound);
		check_fix(c, "modprobe vfio-pci (it claims them when it loads)");
	} else if (missing) {
		c = check_add(d, "vfio-pci-ids", V_WARN,
			      "vfio-pci.ids= entries match no device: %s%s%s",
			      missing, good ? "; bound: " : "", good ? good : "");
		check_fix(c,
			  "check the IDs with lspci -nn, and remove those of devices that are gone");
	} else if (good) {
		check_add(d, "vfio-pci-ids", V_OK,
			  "every device of vfio-pci.ids= is on vfio-pci: %s",
			  good);
	} else if (!invalid) {
		check_add(d, "vfio-pci-ids", V_SKIP, "vfio-pci.ids= lists no usable ID");
	}
	free(good);
	free(bad);
	free(missing);
	free(unbound);
	free(drivers);
}

static void check_module(struct doctor *d, const char *name, bool required, const char *why)
{
	char *cname = xasprintf("module-%s", name);
	struct check *c;
	bool builtin;

	if (module_loaded(d, name, &builtin)) {
		check_add(d, cname, V_OK, "%s is %s", name, builtin ? "built in" : "loaded");
	} else {
		c = check_add(d, cname, required ? V_FAIL : V_WARN, "%s is not loaded: %s", name,
			      why);
		check_fix(c, "modprobe %s" MODULES_HINT, name);
	}
	free(cname);
}

void check_modules(struct doctor *d)
{
	bool builtin, iommufd = module_loaded(d, "iommufd", &builtin);
	bool want_pci = d->ndevices > 0;
	const char *v;
	size_t l;

	if (!d->modules) {
		char *path = proc_path(d, "modules");

		check_add(d, "modules", V_SKIP, "cannot read %s", path);
		free(path);
		return;
	}
	if (d->cmdline && cmdline_next(d->cmdline, "vfio_pci.ids", &v, &l, NULL))
		want_pci = true;
	check_module(d, "vfio", true, "every VFIO device, passed through or mediated, needs it");
	if (iommufd && !module_loaded(d, "vfio_iommu_type1", &builtin))
		check_add(d, "module-vfio_iommu_type1", V_OK,
			  "vfio_iommu_type1 is not loaded, but iommufd is (QEMU: -object iommufd)");
	else
		check_module(d, "vfio_iommu_type1", true,
			     "QEMU's VFIO container needs it, for passed-through and mediated devices alike");
	check_module(d, "vfio_pci", want_pci,
		     "needed to pass a PCI device through");
	check_module(d, "mdev", false,
		     "needed for mediated devices (mdev parent drivers such as mvgpu load it)");
}

/* Whether /proc/devices lists the character device region @name. */
static bool chrdev_registered(const struct doctor *d, const char *name)
{
	char *path = proc_path(d, "devices"), *text = read_text(path), *line;
	size_t nl = strlen(name);
	bool found = false;

	for (line = text; line && *line && !found; ) {
		char *end = strchrnul(line, '\n');

		/* "NNN name" lines; the region name ends the line */
		found = (size_t)(end - line) > nl && !strncmp(end - nl, name, nl) &&
			end[-(long)nl - 1] == ' ';
		line = *end ? end + 1 : end;
	}
	free(text);
	free(path);
	return found;
}

/*
 * The IOMMU interface a VMM should use for mediated devices. VFIO type1
 * deadlocks on every kernel since 6.0 when two threads unmap guest memory
 * with pinned pages at once; iommufd with the device cdev does not.
 */
void check_vfio_backend(struct doctor *d)
{
	bool builtin, iommufd = module_loaded(d, "iommufd", &builtin);
	bool cdev = chrdev_registered(d, "vfio-dev");
	struct check *c;

	if (!module_loaded(d, "vfio", &builtin)) {
		check_add(d, "vfio-backend", V_SKIP, "vfio is not loaded");
		return;
	}
	if (iommufd && cdev) {
		check_add(d, "vfio-backend", V_OK, "%s",
			  "iommufd and the VFIO device cdev are there: give mediated devices to QEMU 9.0 or later through iommufd, -object iommufd,id=iommufd0 -device vfio-pci,sysfsdev=...,iommufd=iommufd0 (mvgpuctl qemu-args --iommufd UUID)");
		return;
	}
	c = check_add(d, "vfio-backend", V_WARN, "only the VFIO type1 container: %s; %s",
		      iommufd ? "iommufd is loaded but this kernel has no VFIO device cdev" :
		      "this kernel has no iommufd (or its module is not loaded)",
		      "type1 deadlocks for good when a process unmaps pinned guest memory from two threads at once (QEMU does not; a hostile or multi-threaded VFIO user can)");
	check_fix(c,
		  "%s; or use a kernel with the project's patches/vfio fix of vfio_iommu_type1 (see Documentation/host.rst)",
		  iommufd ? "use a kernel built with CONFIG_VFIO_DEVICE_CDEV=y" :
		  "modprobe iommufd if the kernel has it (CONFIG_IOMMUFD, with CONFIG_VFIO_DEVICE_CDEV=y)");
}

static int count_entries(const char *path)
{
	size_t n;
	char **names = list_dir(path, &n);

	free_list(names, n);
	return names ? (int)n : 0;
}

void gather_mdev(struct doctor *d)
{
	char *root = sys_path(d, "class/mdev_bus");
	size_t n, i, k, nt;
	char **parents = list_dir(root, &n);

	d->have_mdev_class = is_dir(root);
	d->parents = xmalloc((n ? n : 1) * sizeof(*d->parents));
	for (i = 0; parents && i < n; i++) {
		struct mdev_parent *p = &d->parents[d->nparents++];
		char *tdir = xasprintf("%s/%s/mdev_supported_types", root, parents[i]);
		char **types = list_dir(tdir, &nt);

		memset(p, 0, sizeof(*p));
		snprintf(p->name, sizeof(p->name), "%s", parents[i]);
		p->types = xmalloc((nt ? nt : 1) * sizeof(*p->types));
		for (k = 0; types && k < nt; k++) {
			struct mdev_type *t = &p->types[p->ntypes++];
			char *dir = xasprintf("%s/%s", tdir, types[k]), *f, buf[32], *end;
			size_t dl;

			memset(t, 0, sizeof(*t));
			snprintf(t->id, sizeof(t->id), "%s", types[k]);
			read_attr(dir, "name", t->name, sizeof(t->name));
			read_attr(dir, "device_api", t->device_api, sizeof(t->device_api));
			f = xasprintf("%s/description", dir);
			t->description = read_text(f);
			free(f);
			if (t->description) {
				dl = strlen(t->description);
				while (dl && t->description[dl - 1] == '\n')
					t->description[--dl] = '\0';
			}
			f = xasprintf("%s/available_instances", dir);
			t->available = -1;
			if (read_line(f, buf, sizeof(buf))) {
				t->available = strtol(buf, &end, 10);
				if (end == buf)
					t->available = -1;
			}
			free(f);
			f = xasprintf("%s/devices", dir);
			t->created = count_entries(f);
			free(f);
			free(dir);
		}
		free_list(types, nt);
		free(tdir);
	}
	free_list(parents, n);
	free(root);
}

void check_mdev(struct doctor *d)
{
	char *detail = NULL, *types;
	bool builtin, creatable = false, empty = false;
	struct check *c;
	size_t i, k;

	if (!d->have_mdev_class && !module_loaded(d, "mdev", &builtin)) {
		check_add(d, "mdev-parents", V_SKIP, "mdev is not loaded (no %s/class/mdev_bus)",
			  d->sysfs);
		return;
	}
	if (!d->nparents) {
		c = check_add(d, "mdev-parents", V_WARN, "no mdev parent device is registered");
		check_fix(c,
			  "load a parent driver, for example modprobe mvgpu (which loads simgpu)");
		return;
	}
	for (i = 0; i < d->nparents; i++) {
		const struct mdev_parent *p = &d->parents[i];

		types = NULL;
		for (k = 0; k < p->ntypes; k++) {
			const struct mdev_type *t = &p->types[k];

			if (t->available > 0)
				creatable = true;
			types = append(types, ", ", xasprintf("%s %ld available", t->id,
							      t->available));
		}
		if (!p->ntypes)
			empty = true;
		detail = append(detail, "; ", xasprintf("%s: %zu type%s (%s)", p->name, p->ntypes,
							p->ntypes == 1 ? "" : "s",
							types ? types : "none"));
		free(types);
	}
	if (empty) {
		c = check_add(d, "mdev-parents", V_WARN, "a parent offers no types: %s", detail);
		check_fix(c, "see the parent driver's messages in the kernel log");
	} else if (!creatable) {
		c = check_add(d, "mdev-parents", V_WARN, "no type can create another instance: %s",
			      detail);
		check_fix(c,
			  "remove instances nobody uses: echo 1 > /sys/bus/mdev/devices/UUID/remove");
	} else {
		check_add(d, "mdev-parents", V_OK, "%s", detail);
	}
	free(detail);
}
