# grading/: course-staff tools. Each job folder (handout/, sandbox/,
# submission/, gradebook/, packaging/) owns a build.mk fragment of its own.
include $(wildcard grading/*/build.mk)
