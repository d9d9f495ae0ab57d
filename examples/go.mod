module nonehost/examples

go 1.26
