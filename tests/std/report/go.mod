module nonehost/tests/std/report

go 1.26
