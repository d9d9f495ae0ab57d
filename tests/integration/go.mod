module nonehost/tests/integration

go 1.26
