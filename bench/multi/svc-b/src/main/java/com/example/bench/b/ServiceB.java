package com.example.bench.b;

/** One of the benchmark's six services; bench/run.sh appends a line to svc-a's to change it. */
public final class ServiceB {

    private ServiceB() {}

    public static void main(String[] args) {
        System.out.println("bench-multi-b is up");
    }
}
