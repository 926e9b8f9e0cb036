package com.example.bench.c;

/** One of the benchmark's six services; bench/run.sh appends a line to svc-a's to change it. */
public final class ServiceC {

    private ServiceC() {}

    public static void main(String[] args) {
        System.out.println("bench-multi-c is up");
    }
}
