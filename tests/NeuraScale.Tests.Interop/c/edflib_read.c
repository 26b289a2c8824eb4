/* Opens an EDF/EDF+ file with EDFlib (the library EDFbrowser's author maintains; Debian libedf-dev), which refuses
   files that break the specification, and reports what it sees: file type, header fields, signals, annotations.
   Physical samples of every signal go to argv[2] as little-endian float64, signal after signal.
   Usage: edflib_read FILE.edf SAMPLES.f64 */
#include <stdio.h>
#include <stdlib.h>
#include <edflib.h>

static void json_string(const char *s)
{
    putchar('"');
    for (; *s; s++) {
        if (*s == '"' || *s == '\\') putchar('\\');
        putchar(*s);
    }
    putchar('"');
}

int main(int argc, char **argv)
{
    struct edf_hdr_struct hdr;
    if (argc != 3) return 2;
    if (edfopen_file_readonly(argv[1], &hdr, EDFLIB_READ_ALL_ANNOTATIONS) < 0) {
        printf("{\"error\":%d}\n", hdr.filetype);
        return 1;
    }

    FILE *out = fopen(argv[2], "wb");
    printf("{\"filetype\":%d,\"signals\":%d,\"datarecords\":%lld,\"record_duration_s\":%.9f,", hdr.filetype, hdr.edfsignals, hdr.datarecords_in_file, hdr.datarecord_duration / 1e7);
    printf("\"start\":\"%04d-%02d-%02dT%02d:%02d:%02d\",\"patientcode\":", hdr.startdate_year, hdr.startdate_month, hdr.startdate_day, hdr.starttime_hour, hdr.starttime_minute, hdr.starttime_second);
    json_string(hdr.patientcode);
    printf(",\"admincode\":");
    json_string(hdr.admincode);
    printf(",\"equipment\":");
    json_string(hdr.equipment);
    printf(",\"labels\":[");
    for (int s = 0; s < hdr.edfsignals; s++) {
        long long n = hdr.signalparam[s].smp_in_file;
        double *buf = malloc(sizeof(double) * (n > 0 ? n : 1));
        if (edfread_physical_samples(hdr.handle, s, (int)n, buf) != n) return 3;
        fwrite(buf, sizeof(double), n, out);
        free(buf);
        if (s) putchar(',');
        printf("{\"label\":");
        json_string(hdr.signalparam[s].label);
        printf(",\"unit\":");
        json_string(hdr.signalparam[s].physdimension);
        printf(",\"prefilter\":");
        json_string(hdr.signalparam[s].prefilter);
        printf(",\"samples\":%lld,\"per_record\":%d}", n, hdr.signalparam[s].smp_in_datarecord);
    }

    printf("],\"annotations\":[");
    for (long long a = 0; a < hdr.annotations_in_file; a++) {
        struct edf_annotation_struct annotation;
        edf_get_annotation(hdr.handle, (int)a, &annotation);
        if (a) putchar(',');
        printf("{\"onset_s\":%.7f,\"duration_s\":%.7f,\"text\":", annotation.onset / 1e7, annotation.duration_l < 0 ? 0.0 : annotation.duration_l / 1e7);
        json_string(annotation.annotation);
        putchar('}');
    }

    printf("]}\n");
    fclose(out);
    edfclose_file(hdr.handle);
    return 0;
}
