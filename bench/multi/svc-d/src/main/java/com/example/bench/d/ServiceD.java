package com.example.bench.d;

/** One of the benchmark's six services; bench/run.sh appends a line to svc-a's to change it. */
public final class ServiceD {

    private ServiceD() {}

    public static void main(String[] args) {
        System.out.println("bench-multi-d is up");
    }
}
