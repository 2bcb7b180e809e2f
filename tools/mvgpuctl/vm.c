// SPDX-License-Identifier: GPL-2.0-only
/*
 * mvgpuctl qemu-args and libvirt-xml: how to give a device to a VM.
 *
 * QEMU opens an mdev device by its sysfs path (vfio-pci's sysfsdev=), in a
 * VFIO container by default or, with an iommufd object, through the
 * device's cdev.
 * mvgpu exports no display plane yet, so the vfio-pci default display=off
 * is the right setting and is left implicit. libvirt names the device by
 * its UUID in a <hostdev type='mdev'>; its model is the VFIO bus driver
 * QEMU uses, which follows the type's device_api.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "mvgpuctl.h"

/* The VFIO device model for a type: vfio-pci, vfio-ccw or vfio-ap. */
static const char *vfio_model(const struct mdev_state *st, const struct minst *in)
{
	static const char *const models[] = { "vfio-pci", "vfio-ccw", "vfio-ap" };
	const struct mparent *p = mdev_parent(st, in->parent);
	const struct mtype *t = p ? mdev_type(p, in->type) : NULL;
	unsigned int i;

	if (!t || !t->device_api[0])
		return "vfio-pci";
	for (i = 0; i < ARRAY_SIZE(models); i++) {
		if (!strcmp(t->device_api, models[i]))
			return models[i];
	}
	err("%s has device_api '%s', which no VFIO device model of QEMU drives", in->uuid,
	    t->device_api);
	return NULL;
}

int cmd_qemu_args(const struct opts *o, int argc, char **argv)
{
	char path[PATH_MAX];
	struct mdev_state st;
	struct minst *in;
	const char *model;
	int ret;

	if (argc != 1)
		return usage_error("qemu-args", argc ? "too many arguments" : "no UUID given");
	ret = lookup_uuid(o, argv[0], &st, &in);
	if (ret)
		return ret;
	model = vfio_model(&st, in);
	ret = 1;
	if (model && !inst_path(path, o->root, in->uuid, NULL)) {
		if (o->iommufd)
			printf("-object iommufd,id=iommufd0 ");
		printf("-device %s,sysfsdev=%s%s\n", model, path,
		       o->iommufd ? ",iommufd=iommufd0" : "");
		ret = 0;
	}
	mdev_free(&st);
	return ret;
}

int cmd_libvirt_xml(const struct opts *o, int argc, char **argv)
{
	struct mdev_state st;
	struct minst *in;
	const char *model;
	int ret;

	if (argc != 1)
		return usage_error("libvirt-xml", argc ? "too many arguments" : "no UUID given");
	ret = lookup_uuid(o, argv[0], &st, &in);
	if (ret)
		return ret;
	model = vfio_model(&st, in);
	if (model) {
		printf("<hostdev mode='subsystem' type='mdev' model='%s'>\n", model);
		printf("  <source>\n");
		printf("    <address uuid='%s'/>\n", in->uuid);
		printf("  </source>\n");
		printf("</hostdev>\n");
	}
	mdev_free(&st);
	return model ? 0 : 1;
}
