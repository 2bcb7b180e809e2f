// SPDX-License-Identifier: GPL-2.0-only
/*
 * vgpu-doctor: checks a Linux host for what PCI passthrough (vfio-pci) and
 * mediated vGPUs (mdev) need, and says how to fix what is missing.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "doctor.h"

const char tool_name[] = DOCTOR_NAME;
/* a check that cannot run, a bad option: 2 */
const int tool_fail_status = 2;

static const char usage_text[] =
"Usage: vgpu-doctor [OPTION]...\n"
"Check this host for what PCI passthrough (vfio-pci) and mediated vGPUs (mdev)\n"
"need, one line per check, with the fix for what is missing.\n"
"\n"
"Options:\n"
"  -d, --device BDF         also check that the PCI device BDF ([DOMAIN:]BUS:DEV.FN,\n"
"                           as lspci -D shows it) can be passed through: every device\n"
"                           of its IOMMU group must be on vfio-pci or unbound (bridges\n"
"                           may stay on pcieport); may be given up to 16 times\n"
"  -j, --json               print the results as one JSON object (see below)\n"
"  -k, --dmesg FILE         read the kernel log from FILE (dmesg output; - for\n"
"                           standard input) instead of /dev/kmsg\n"
"  -m, --memlock LIMIT      judge this locked-memory limit instead of the real\n"
"                           one: a byte count with an optional K, M, G or T suffix\n"
"                           (powers of 1024), or \"unlimited\"\n"
"  -p, --proc-root DIR      read procfs from DIR instead of /proc\n"
"  -s, --sysfs-root DIR     read sysfs from DIR instead of /sys\n"
"  -h, --help               show this help and exit\n"
"  -V, --version            show the version and exit\n"
"\n"
"Checks (name: what is looked at):\n"
"  cpu-virt        the vmx or svm flag in PROC/cpuinfo\n"
"  kvm             SYS/class/misc/kvm, and /dev/kvm when SYS is /sys\n"
"  iommu-cmdline   intel_iommu=, amd_iommu=, iommu= in PROC/cmdline\n"
"  iommu-log       DMAR and AMD-Vi messages in the kernel log\n"
"  iommu-sysfs     the IOMMUs in SYS/class/iommu (dmarN, ivhdN)\n"
"  iommu-groups    the groups in SYS/kernel/iommu_groups (vfio-noiommu groups of\n"
"                  mediated devices do not count)\n"
"  vfio-pci-ids    vfio-pci.ids= in PROC/cmdline against the PCI devices present\n"
"  vfio-groups     every group with a device on vfio-pci must be wholly on it\n"
"  device:BDF      the group of each --device\n"
"  module-NAME     vfio, vfio_iommu_type1, vfio_pci, mdev in PROC/modules or\n"
"                  SYS/module (built in)\n"
"  vfio-backend    iommufd (PROC/modules, SYS/module) and the VFIO device cdev\n"
"                  (vfio-dev in PROC/devices): whether to use iommufd or type1\n"
"  mdev-parents    SYS/class/mdev_bus/* and their mdev_supported_types\n"
"  hugepages       SYS/kernel/mm/hugepages, PROC/meminfo\n"
"  memlock         RLIMIT_MEMLOCK; with --proc-root, PROC/self/limits\n"
"The human output then lists the IOMMU groups with their devices (class,\n"
"vendor:device, driver) and the mdev parents with their types.\n"
"\n"
"Verdicts: ok; warn (works, but worth a look); FAIL (passthrough or mdev will\n"
"not work); skip (nothing to judge). Each warn and FAIL comes with a fix.\n"
"\n"
"Without --sysfs-root and --proc-root the live system is checked and the\n"
"kernel log is read from /dev/kmsg, or with syslog(2) as dmesg does (both\n"
"need root or CAP_SYSLOG). With either root option the kernel log comes only\n"
"from --dmesg, and /dev/kvm is not looked at.\n"
"\n"
"JSON output: {\"tool\", \"version\", \"sysfs_root\", \"proc_root\", \"exit_status\",\n"
"\"summary\": {\"ok\", \"warn\", \"FAIL\", \"skip\"}, \"checks\": [{\"name\", \"verdict\",\n"
"\"detail\", \"fix\"}], \"groups\": [{\"id\", \"name\", \"type\", \"devices\": [{\"name\",\n"
"\"bus\", \"vendor\", \"device\", \"class\", \"driver\"}]}], \"mdev_parents\": [{\"name\",\n"
"\"types\": [{\"id\", \"name\", \"device_api\", \"available_instances\", \"instances\",\n"
"\"description\"}]}]}. Unknown values are null.\n"
"\n"
"Exit status: 0 if no check failed (ok, warn and skip only), 1 if any check\n"
"failed, 2 on a usage error (bad option or argument, unreadable root or log).\n"
"\n"
"Examples:\n"
"  vgpu-doctor\n"
"  sudo vgpu-doctor --device 01:00.0\n"
"  vgpu-doctor --json | jq '.checks[] | select(.verdict == \"FAIL\")'\n"
"  vgpu-doctor --sysfs-root fx/sys --proc-root fx/proc --dmesg fx/dmesg.txt\n";

static const struct option long_opts[] = {
	{ "device", required_argument, NULL, 'd' },
	{ "json", no_argument, NULL, 'j' },
	{ "dmesg", required_argument, NULL, 'k' },
	{ "memlock", required_argument, NULL, 'm' },
	{ "proc-root", required_argument, NULL, 'p' },
	{ "sysfs-root", required_argument, NULL, 's' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

static void __attribute__((noreturn, format(printf, 1, 2))) usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", DOCTOR_NAME);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry '%s --help' for more information.\n", DOCTOR_NAME);
	exit(2);
}

static const char *opt_name(int val)
{
	const struct option *o;

	for (o = long_opts; o->name; o++)
		if (o->val == val)
			return o->name;
	return "?";
}

static const char *check_root(const char *opt, const char *dir)
{
	char *copy;
	size_t len;

	if (!dir[0])
		usage_error("--%s needs a directory", opt);
	if (!is_dir(dir)) {
		fprintf(stderr, "%s: --%s '%s': %s\n", DOCTOR_NAME, opt, dir,
			path_exists(dir) ? "not a directory" : strerror(errno));
		exit(2);
	}
	copy = xstrdup(dir);
	len = strlen(copy);
	while (len > 1 && copy[len - 1] == '/')
		copy[--len] = '\0';
	return copy;
}

static void parse_args(struct doctor *d, int argc, char **argv)
{
	char bdf[32];
	int opt;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":d:jk:m:p:s:hV", long_opts, NULL)) != -1) {
		switch (opt) {
		case 'd':
			if (!parse_bdf(optarg, bdf, sizeof(bdf)))
				usage_error("--device '%s': %s", optarg,
					    "not a PCI address ([DOMAIN:]BUS:DEV.FN in hex, as 0000:01:00.0)");
			if (d->ndevices == MAX_DEVICES)
				usage_error("--device: at most %d devices", MAX_DEVICES);
			d->devices[d->ndevices++] = xstrdup(bdf);
			break;
		case 'j':
			d->json = true;
			break;
		case 'k':
			if (!optarg[0])
				usage_error("--dmesg needs a file name");
			d->dmesg = optarg;
			break;
		case 'm':
			if (!parse_memlock(optarg, &d->memlock_unlimited, &d->memlock))
				usage_error("--memlock '%s': %s", optarg,
					    "not a byte count (such as 67108864, 64M or 8G) or \"unlimited\"");
			d->memlock_set = true;
			break;
		case 'p':
			d->proc = check_root("proc-root", optarg);
			d->custom_root = true;
			break;
		case 's':
			d->sysfs = check_root("sysfs-root", optarg);
			d->custom_root = true;
			break;
		case 'h':
			fputs(usage_text, stdout);
			exit(0);
		case 'V':
			printf("%s %s\n", DOCTOR_NAME, DOCTOR_VERSION);
			exit(0);
		case ':':
			usage_error("option '--%s' needs an argument", opt_name(optopt));
		default:
			if (optopt)
				fprintf(stderr, "%s: unknown option '-%c'\n", DOCTOR_NAME, optopt);
			else
				fprintf(stderr, "%s: unknown option '%s'\n", DOCTOR_NAME,
					argv[optind - 1]);
			fprintf(stderr, "Try '%s --help' for more information.\n", DOCTOR_NAME);
			exit(2);
		}
	}
	if (optind < argc)
		usage_error("unexpected argument '%s'", argv[optind]);
}

/* Facts several checks use. */
static void gather(struct doctor *d)
{
	char *path, *line, *v;

	path = proc_path(d, "cmdline");
	d->cmdline = read_text(path);
	free(path);
	path = proc_path(d, "cpuinfo");
	d->cpuinfo = read_text(path);
	free(path);
	path = proc_path(d, "modules");
	d->modules = read_text(path);
	free(path);
	if (d->cpuinfo) {
		line = strstr(d->cpuinfo, "vendor_id");
		v = line ? strchr(line, ':') : NULL;
		if (v) {
			v += strspn(v + 1, " \t") + 1;
			snprintf(d->cpu_vendor, sizeof(d->cpu_vendor), "%.*s",
				 (int)strcspn(v, " \t\n"), v);
		}
		line = strstr(d->cpuinfo, "\nflags");
		if (line) {
			char *eol = strchr(line + 1, '\n');
			char *flags = eol ? strndup(line + 1, eol - line - 1) : xstrdup(line + 1);

			if (!flags)
				die("out of memory");
			d->hypervisor = has_word(flags, "hypervisor");
			free(flags);
		}
	}
	gather_iommu(d);
	gather_groups(d);
	gather_mdev(d);
}

int main(int argc, char **argv)
{
	struct doctor d = { .sysfs = "/sys", .proc = "/proc" };
	int i;

	parse_args(&d, argc, argv);
	klog_load(&d);
	gather(&d);

	check_cpu(&d);
	check_kvm(&d);
	check_iommu_cmdline(&d);
	check_iommu_log(&d);
	check_iommu_sysfs(&d);
	check_iommu_groups(&d);
	check_vfio_ids(&d);
	check_vfio_groups(&d);
	for (i = 0; i < d.ndevices; i++)
		check_device(&d, d.devices[i]);
	check_modules(&d);
	check_vfio_backend(&d);
	check_mdev(&d);
	check_hugepages(&d);
	check_memlock(&d);

	if (d.json)
		report_json(&d, stdout);
	else
		report_human(&d, stdout);
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, "%s: writing the report: %s\n", DOCTOR_NAME, strerror(errno));
		return 2;
	}
	return report_status(&d);
}
