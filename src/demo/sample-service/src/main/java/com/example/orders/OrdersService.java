package com.example.orders;

/** The sample service: what it does does not matter, only that it ships in an image. */
public final class OrdersService {

    public static void main(String[] args) {
        System.out.println("orders service ready");
    }
}
