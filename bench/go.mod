module nonehost/bench

go 1.26
