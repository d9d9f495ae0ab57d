module nonehost/toolchain/retag

go 1.26
