# grading/: course-staff tools (later issue). Nothing to build yet.
